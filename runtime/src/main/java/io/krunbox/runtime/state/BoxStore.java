package io.krunbox.runtime.state;

import io.krunbox.oci.store.StateDb;
import io.krunbox.runtime.BoxException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The boxes table of state.db. Names are unique; every change is one transaction. */
public final class BoxStore {
    private final StateDb db;

    public BoxStore(StateDb db) {
        this.db = db;
        db.migrate("runtime/1-boxes",
                "CREATE TABLE boxes (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, image TEXT NOT NULL,"
                        + " image_id TEXT, layers TEXT NOT NULL DEFAULT '', isolation TEXT NOT NULL, status TEXT NOT NULL, exit_code INTEGER, reason TEXT,"
                        + " created_at TEXT NOT NULL, finished_at TEXT)");
    }

    /** A box as recorded. */
    public record BoxRecord(String id, String name, String image, String imageId, String isolation, String status,
                            Integer exitCode, String reason) {}

    /** Records a new box as {@code creating}; a name already taken is refused, naming the box that has it. */
    public void create(String id, String name, String image, String imageId, List<String> layerDiffIds,
                       String isolation) {
        db.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM boxes WHERE name = ?")) {
                q.setString(1, name);
                ResultSet rs = q.executeQuery();
                if (rs.next()) {
                    throw new BoxException("the box name \"" + name + "\" is already in use by box "
                            + rs.getString(1).substring(0, 12) + ": remove that box or choose another name");
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO boxes (id, name, image, image_id, layers,"
                    + " isolation, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'creating',"
                    + " strftime('%Y-%m-%dT%H:%M:%fZ','now'))")) {
                ins.setString(1, id);
                ins.setString(2, name);
                ins.setString(3, image);
                ins.setString(4, imageId);
                ins.setString(5, String.join(",", layerDiffIds));
                ins.setString(6, isolation);
                ins.executeUpdate();
            }
            return null;
        });
    }

    public void status(String id, String status) {
        db.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE boxes SET status = ? WHERE id = ?")) {
                u.setString(1, status);
                u.setString(2, id);
                u.executeUpdate();
            }
            return null;
        });
    }

    /** The box ended: its code (or null) and why. */
    public void finish(String id, String status, Integer exitCode, String reason) {
        db.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE boxes SET status = ?, exit_code = ?, reason = ?,"
                    + " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?")) {
                u.setString(1, status);
                if (exitCode == null) {
                    u.setNull(2, java.sql.Types.INTEGER);
                } else {
                    u.setInt(2, exitCode);
                }
                u.setString(3, reason);
                u.setString(4, id);
                u.executeUpdate();
            }
            return null;
        });
    }

    public void delete(String id) {
        db.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM boxes WHERE id = ?")) {
                d.setString(1, id);
                d.executeUpdate();
            }
            return null;
        });
    }

    /** Boxes (of any status) made from an image. */
    public List<BoxRecord> usingImage(String imageId) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, name, image, image_id, isolation, status,"
                    + " exit_code, reason FROM boxes WHERE image_id = ? ORDER BY created_at")) {
                q.setString(1, imageId);
                return rows(q.executeQuery());
            }
        });
    }

    /** The layer diff ids (sha256:...) that existing boxes stand on. */
    public java.util.Set<String> layersInUse() {
        return db.read(c -> {
            java.util.Set<String> out = new java.util.HashSet<>();
            try (PreparedStatement q = c.prepareStatement("SELECT layers FROM boxes")) {
                ResultSet rs = q.executeQuery();
                while (rs.next()) {
                    for (String l : rs.getString(1).split(",")) {
                        if (!l.isEmpty()) {
                            out.add(l);
                        }
                    }
                }
            }
            return out;
        });
    }

    public List<BoxRecord> all() {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, name, image, image_id, isolation, status,"
                    + " exit_code, reason FROM boxes ORDER BY created_at")) {
                return rows(q.executeQuery());
            }
        });
    }

    private static List<BoxRecord> rows(ResultSet rs) throws SQLException {
        List<BoxRecord> out = new ArrayList<>();
        while (rs.next()) {
            int code = rs.getInt(7);
            out.add(new BoxRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.wasNull() ? null : code, rs.getString(8)));
        }
        return out;
    }
}
