package io.krunbox.runtime.state;

import io.krunbox.statedb.StateDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.OptionalLong;

/**
 * The host uid/gid ranges of {@code --userns auto} boxes, one per box and never shared: range
 * {@code n} is host ids {@code FIRST + n * SIZE} up to {@code SIZE} more, the box's 0 to 65535.
 * A range is the box's for its whole life (its upper directory holds files with those ids) and
 * is freed with its record.
 */
public final class UsernsRanges {
    /** Far above the ids of a host's users and of /etc/subuid's usual ranges. */
    public static final long FIRST = 1L << 30;
    public static final long SIZE = 65536;
    /** Ranges up to 2^31: the rest of the id space is left alone. */
    public static final int SLOTS = (int) ((1L << 30) / SIZE);

    private final StateDb db;

    public UsernsRanges(StateDb db) {
        this.db = db;
        db.migrate("runtime/7-userns-ranges",
                "CREATE TABLE userns_ranges (box_id TEXT PRIMARY KEY REFERENCES boxes(id) ON DELETE CASCADE,"
                        + " slot INTEGER NOT NULL UNIQUE)");
    }

    /** The box's range's first host id, allocated now if it has none; refused when every range is taken. */
    public long allocate(String boxId) {
        return db.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT slot FROM userns_ranges WHERE box_id = ?")) {
                q.setString(1, boxId);
                ResultSet r = q.executeQuery();
                if (r.next()) {
                    return FIRST + r.getLong(1) * SIZE;
                }
            }
            int free = 0;
            try (PreparedStatement q = c.prepareStatement("SELECT slot FROM userns_ranges ORDER BY slot")) {
                ResultSet r = q.executeQuery();
                while (r.next() && r.getInt(1) == free) {
                    free++;
                }
            }
            if (free >= SLOTS) {
                throw new io.krunbox.runtime.base.BoxException("every --userns auto range (" + SLOTS + " of " + SIZE
                        + " ids) is taken: remove boxes that used --userns auto");
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO userns_ranges (box_id, slot) VALUES (?, ?)")) {
                ins.setString(1, boxId);
                ins.setInt(2, free);
                ins.executeUpdate();
            }
            return FIRST + free * SIZE;
        });
    }

    /** The box's range's first host id, if it has one. */
    public OptionalLong find(String boxId) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT slot FROM userns_ranges WHERE box_id = ?")) {
                q.setString(1, boxId);
                ResultSet r = q.executeQuery();
                return r.next() ? OptionalLong.of(FIRST + r.getLong(1) * SIZE) : OptionalLong.empty();
            }
        });
    }
}
