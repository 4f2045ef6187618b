package io.krunbox.runtime.volume;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.NoSuchVolumeException;
import io.krunbox.statedb.StateDb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The volumes table of state.db. An anonymous volume names the box it was made for. */
public final class VolumeStore {
    private final StateDb db;

    public VolumeStore(StateDb db) {
        this.db = db;
        db.migrate("runtime/6-volumes",
                "CREATE TABLE volumes (name TEXT PRIMARY KEY, anonymous INTEGER NOT NULL, box_id TEXT,"
                        + " labels TEXT NOT NULL DEFAULT '', populated INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)");
    }

    public record VolumeRecord(String name, boolean anonymous, String boxId, List<String> labels, boolean populated,
                               String createdAt) {}

    /** Records a volume; false when one of that name exists already. */
    public boolean create(String name, boolean anonymous, String boxId, List<String> labels) {
        return db.inTransaction(c -> {
            try (PreparedStatement i = c.prepareStatement("INSERT OR IGNORE INTO volumes (name, anonymous, box_id, labels,"
                    + " created_at) VALUES (?,?,?,?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))")) {
                i.setString(1, name);
                i.setInt(2, anonymous ? 1 : 0);
                i.setString(3, boxId);
                i.setString(4, String.join("\n", labels));
                return i.executeUpdate() == 1;
            }
        });
    }

    /** Marks a volume as filled from an image (done once, on its first use); false if it already was. */
    public boolean markPopulated(String name) {
        return db.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE volumes SET populated = 1 WHERE name = ? AND populated = 0")) {
                u.setString(1, name);
                return u.executeUpdate() == 1;
            }
        });
    }

    public Optional<VolumeRecord> find(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public List<VolumeRecord> all() {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT name, anonymous, box_id, labels, populated, created_at"
                    + " FROM volumes ORDER BY name")) {
                ResultSet rs = q.executeQuery();
                List<VolumeRecord> out = new ArrayList<>();
                while (rs.next()) {
                    String labels = rs.getString(4);
                    out.add(new VolumeRecord(rs.getString(1), rs.getInt(2) != 0, rs.getString(3),
                            labels.isEmpty() ? List.of() : List.of(labels.split("\n")), rs.getInt(5) != 0, rs.getString(6)));
                }
                return out;
            }
        });
    }

    public void delete(String name) {
        db.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM volumes WHERE name = ?")) {
                d.setString(1, name);
                if (d.executeUpdate() != 1) {
                    throw new NoSuchVolumeException(name);
                }
            }
            return null;
        });
    }
}
