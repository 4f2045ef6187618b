package io.krunbox.runtime.state;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.BoxNameTakenException;
import io.krunbox.runtime.base.BoxNames;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.statedb.StateDb;
import java.nio.file.Path;
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
        db.migrate("runtime/2-box-processes",
                "ALTER TABLE boxes ADD COLUMN spec TEXT",
                "ALTER TABLE boxes ADD COLUMN supervisor_pid INTEGER",
                "ALTER TABLE boxes ADD COLUMN supervisor_start TEXT",
                "ALTER TABLE boxes ADD COLUMN init_pid INTEGER",
                "ALTER TABLE boxes ADD COLUMN init_start TEXT",
                "ALTER TABLE boxes ADD COLUMN started_at TEXT");
        db.migrate("runtime/3-health-restarts",
                "ALTER TABLE boxes ADD COLUMN health TEXT",
                "ALTER TABLE boxes ADD COLUMN failing_streak INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE boxes ADD COLUMN restart_count INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE boxes ADD COLUMN stop_requested INTEGER NOT NULL DEFAULT 0");
        db.migrate("runtime/4-events",
                "CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, box_id TEXT NOT NULL,"
                        + " name TEXT NOT NULL, image TEXT, action TEXT NOT NULL, attributes TEXT)");
    }

    public StateDb db() {
        return db;
    }

    /** Something that happened to a box, as {@code events} shows it. */
    public record Event(long seq, String time, String boxId, String name, String image, String action, String attributes) {}

    /** Records an event in the caller's transaction, naming the box as it is now. */
    private static void event(java.sql.Connection c, String id, String action, String attributes) throws SQLException {
        try (PreparedStatement e = c.prepareStatement("INSERT INTO events (time, box_id, name, image, action, attributes)"
                + " SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now'), id, name, image, ?, ? FROM boxes WHERE id = ?")) {
            e.setString(1, action);
            e.setString(2, attributes);
            e.setString(3, id);
            e.executeUpdate();
        }
    }

    /** Records an event of its own (kill, stop). */
    public void event(String id, String action, String attributes) {
        db.inTransaction(c -> {
            event(c, id, action, attributes);
            return null;
        });
    }

    /** Events after {@code afterSeq}, in order. */
    public List<Event> events(long afterSeq) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT seq, time, box_id, name, image, action, attributes"
                    + " FROM events WHERE seq > ? ORDER BY seq")) {
                q.setLong(1, afterSeq);
                ResultSet rs = q.executeQuery();
                List<Event> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Event(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7)));
                }
                return out;
            }
        });
    }

    /** A box as recorded; pids come with their start times, so a reused pid is never taken for the box. */
    public record BoxRecord(String id, String name, String image, String imageId, String isolation, BoxStatus status,
                            Integer exitCode, String reason, String specJson, Long supervisorPid, String supervisorStart,
                            Long initPid, String initStart, String createdAt, String startedAt, String finishedAt,
                            List<String> layers, String health, int failingStreak, int restartCount,
                            boolean stopRequested) {
        public String shortId() {
            return id.substring(0, 12);
        }

        /** The spec the box was made with (null for a record made before specs were kept), parsed when first asked for. */
        public BoxSpec spec() {
            return specJson == null ? null : BoxSpecJson.readCached(specJson);
        }

        /** The overlay lowerdirs of the box, top layer first, from the layers it was made with. */
        public List<Path> lowerDirs(KrunboxHome home) {
            List<Path> lower = new ArrayList<>();
            for (int i = layers.size() - 1; i >= 0; i--) {
                lower.add(home.layers().resolve(layers.get(i).substring("sha256:".length())));
            }
            return lower;
        }
    }

    private static final String COLUMNS = "id, name, image, image_id, isolation, status, exit_code, reason, spec,"
            + " supervisor_pid, supervisor_start, init_pid, init_start, created_at, started_at, finished_at, layers, health,"
            + " failing_streak, restart_count, stop_requested";

    /**
     * A generated name no box has now: a few draws of word pairs, then a pair with a number, as Docker does.
     * Another process may still take it before {@link #create}; the caller draws again on {@link BoxNameTakenException}.
     */
    public String freeName(java.util.Random random) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM boxes WHERE name = ?")) {
                for (int i = 0; ; i++) {
                    String name = BoxNames.name(random) + (i < 16 ? "" : "-" + random.nextInt(1, 1000));
                    q.setString(1, name);
                    if (!q.executeQuery().next()) {
                        return name;
                    }
                }
            }
        });
    }

    /** Records a new box as {@code creating}; a name already taken is refused, naming the box that has it. */
    public void create(String id, String name, String image, String imageId, List<String> layerDiffIds,
                       String isolation, BoxSpec spec) {
        db.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM boxes WHERE name = ?")) {
                q.setString(1, name);
                ResultSet rs = q.executeQuery();
                if (rs.next()) {
                    throw new BoxNameTakenException("the box name \"" + name + "\" is already in use by box "
                            + rs.getString(1).substring(0, 12) + ": remove that box or choose another name");
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO boxes (id, name, image, image_id, layers,"
                    + " isolation, spec, status, supervisor_pid, supervisor_start, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, 'creating', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))")) {
                ins.setString(1, id);
                ins.setString(2, name);
                ins.setString(3, image);
                ins.setString(4, imageId);
                ins.setString(5, String.join(",", layerDiffIds));
                ins.setString(6, isolation);
                ins.setString(7, BoxSpecJson.write(spec));
                // the creating process supervises until the box runs: if it dies, the box is known to be dead
                ins.setLong(8, ProcessHandle.current().pid());
                ins.setString(9, ProcessTruth.startOf(ProcessHandle.current()));
                ins.executeUpdate();
            }
            event(c, id, "create", null);
            return null;
        });
    }

    public void status(String id, BoxStatus status) {
        db.inTransaction(c -> update(c, "UPDATE boxes SET status = ? WHERE id = ?", status.word(), id));
    }

    /** One statement with its arguments (null for NULL); returns the rows it changed. */
    private static int update(java.sql.Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                u.setObject(i + 1, args[i]);
            }
            return u.executeUpdate();
        }
    }

    /** The box's processes are up: the supervisor and the init it watches, with their start times. */
    public void running(String id, ProcessHandle supervisor, ProcessHandle init) {
        running(id, supervisor.pid(), ProcessTruth.startOf(supervisor), init);
    }

    /**
     * As above, for a supervisor known by its pid only: one that has already ended (a box that
     * was over at once) is recorded with a start time no process matches, so it reads as gone.
     */
    public void running(String id, long supervisorPid, String supervisorStart, ProcessHandle init) {
        db.inTransaction(c -> {
            update(c, "UPDATE boxes SET status = 'running', supervisor_pid = ?, supervisor_start = ?, init_pid = ?,"
                    + " init_start = ?, exit_code = NULL, reason = NULL, finished_at = NULL,"
                    + " started_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                    supervisorPid, supervisorStart, init == null ? null : init.pid(),
                    init == null ? null : ProcessTruth.startOf(init), id);
            event(c, id, "start", null);
            return null;
        });
    }

    /** A box by full id, id prefix (at least 4 hex digits) or name; an ambiguous prefix is an error. */
    public java.util.Optional<BoxRecord> find(String idOrName) {
        List<BoxRecord> all = all();
        for (BoxRecord b : all) {
            if (b.name().equals(idOrName) || b.id().equals(idOrName)) {
                return java.util.Optional.of(b);
            }
        }
        if (idOrName.matches("[0-9a-f]{4,63}")) {
            List<BoxRecord> hits = all.stream().filter(b -> b.id().startsWith(idOrName)).toList();
            if (hits.size() > 1) {
                throw new BoxException("box id prefix " + idOrName + " is ambiguous: it matches " + hits.size() + " boxes");
            }
            return hits.stream().findFirst();
        }
        return java.util.Optional.empty();
    }

    /** Records a changed spec (network connect / disconnect), so the next start has it. */
    public void updateSpec(String id, BoxSpec spec, String action, String attributes) {
        db.inTransaction(c -> {
            update(c, "UPDATE boxes SET spec = ? WHERE id = ?", BoxSpecJson.write(spec), id);
            event(c, id, action, attributes);
            return null;
        });
    }

    public void rename(String id, String newName) {
        db.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM boxes WHERE name = ? AND id <> ?")) {
                q.setString(1, newName);
                q.setString(2, id);
                ResultSet rs = q.executeQuery();
                if (rs.next()) {
                    throw new BoxException("the box name \"" + newName + "\" is already in use by box "
                            + rs.getString(1).substring(0, 12) + ": choose another name");
                }
            }
            update(c, "UPDATE boxes SET name = ? WHERE id = ?", newName, id);
            event(c, id, "rename", null);
            return null;
        });
    }

    /** A box made and not started ({@code create}), or handed to a supervisor that has not reported yet. */
    public void created(String id) {
        set(id, "UPDATE boxes SET status = 'created', stop_requested = 0, health = NULL, failing_streak = 0 WHERE id = ?");
    }

    /** The user asked the box to stop: its restart policy no longer applies. */
    public void requestStop(String id) {
        set(id, "UPDATE boxes SET stop_requested = 1 WHERE id = ?");
    }

    public void health(String id, String health, int failingStreak) {
        db.inTransaction(c -> update(c, "UPDATE boxes SET health = ?, failing_streak = ? WHERE id = ?", health,
                failingStreak, id));
    }

    /** The supervisor is starting the box again after it ended with {@code exitCode}. */
    public void restarting(String id, int exitCode, int restartCount) {
        db.inTransaction(c -> {
            update(c, "UPDATE boxes SET status = 'restarting', exit_code = ?, restart_count = ?, health = NULL,"
                    + " failing_streak = 0 WHERE id = ?", exitCode, restartCount, id);
            event(c, id, "restart", "exitCode=" + exitCode);
            return null;
        });
    }

    /**
     * The box whose supervisor (pid {@code supervisorPid}) is gone ended with {@code exitCode} and
     * is to be started again, unless another command saw it first: true for the one that claims the restart.
     * The claimer is the box's supervisor until it hands the box to a new monitor: if it dies first,
     * the next command records the end.
     */
    public boolean restartIfStillActive(String id, Long supervisorPid, int exitCode, int restartCount) {
        ProcessHandle me = ProcessHandle.current();
        return db.inTransaction(c -> {
            int changed = update(c, "UPDATE boxes SET status = 'restarting', exit_code = ?, restart_count = ?,"
                    + " health = NULL, failing_streak = 0, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),"
                    + " supervisor_pid = ?, supervisor_start = ?"
                    + " WHERE id = ? AND supervisor_pid IS ? AND status IN ('running', 'creating', 'restarting')"
                    + " AND stop_requested = 0", exitCode, restartCount, me.pid(), ProcessTruth.startOf(me), id,
                    supervisorPid);
            if (changed == 1) {
                event(c, id, "die", "exitCode=" + exitCode + ", status=exited");
                event(c, id, "restart", "exitCode=" + exitCode);
            }
            return changed == 1;
        });
    }

    /** A restarting box's new run has begun under {@code supervisorPid} (unless it was stopped meanwhile). */
    public boolean restarted(String id, long supervisorPid, String supervisorStart, ProcessHandle init) {
        return db.inTransaction(c -> {
            int changed = update(c, "UPDATE boxes SET status = 'running', init_pid = ?, init_start = ?, reason = NULL,"
                    + " finished_at = NULL, started_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
                    + " WHERE id = ? AND status = 'restarting' AND supervisor_pid = ? AND supervisor_start IS ?",
                    init.pid(), ProcessTruth.startOf(init), id, supervisorPid, supervisorStart);
            if (changed == 1) {
                event(c, id, "start", null);
            }
            return changed == 1;
        });
    }

    private void set(String id, String sql) {
        db.inTransaction(c -> update(c, sql, id));
    }

    /** The process that supervises a box from now on (a detached supervisor replacing its creator). */
    public void supervisor(String id, ProcessHandle supervisor) {
        supervisor(id, supervisor.pid(), ProcessTruth.startOf(supervisor));
    }

    /** As above, by pid and start time. */
    public void supervisor(String id, long pid, String start) {
        db.inTransaction(c -> update(c, "UPDATE boxes SET supervisor_pid = ?, supervisor_start = ? WHERE id = ?",
                pid, start, id));
    }

    /** The box ended: its code (or null) and why. */
    public void finish(String id, BoxStatus status, Integer exitCode, String reason) {
        db.inTransaction(c -> {
            update(c, "UPDATE boxes SET status = ?, exit_code = ?, reason = ?,"
                    + " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?", status.word(), exitCode, reason, id);
            event(c, id, "die", (exitCode == null ? "" : "exitCode=" + exitCode + ", ") + "status=" + status.word());
            return null;
        });
    }

    /**
     * Records the end of a box whose supervisor (pid {@code supervisorPid}) is gone, unless another
     * command did so first: true for the one command that recorded it (and so takes the box down).
     */
    public boolean finishIfStillActive(String id, Long supervisorPid, Integer exitCode, String reason) {
        return db.inTransaction(c -> {
            int changed = update(c, "UPDATE boxes SET status = 'exited', exit_code = ?, reason = ?,"
                    + " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND supervisor_pid IS ?"
                    + " AND status IN ('running', 'creating', 'restarting')", exitCode, reason, id, supervisorPid);
            if (changed == 1) {
                event(c, id, "die", (exitCode == null ? "" : "exitCode=" + exitCode + ", ") + "status=exited");
            }
            return changed == 1;
        });
    }

    public void delete(String id) {
        db.inTransaction(c -> {
            event(c, id, "destroy", null);
            return update(c, "DELETE FROM boxes WHERE id = ?", id);
        });
    }

    /** Boxes (of any status) made from an image. */
    public List<BoxRecord> usingImage(String imageId) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM boxes WHERE image_id = ?"
                    + " ORDER BY created_at")) {
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
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM boxes ORDER BY created_at")) {
                return rows(q.executeQuery());
            }
        });
    }

    private static List<BoxRecord> rows(ResultSet rs) throws SQLException {
        List<BoxRecord> out = new ArrayList<>();
        while (rs.next()) {
            int code = rs.getInt(7);
            Integer exit = rs.wasNull() ? null : code;
            long sup = rs.getLong(10);
            Long supervisor = rs.wasNull() ? null : sup;
            long ini = rs.getLong(12);
            Long init = rs.wasNull() ? null : ini;
            out.add(new BoxRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    BoxStatus.of(rs.getString(6)), exit, rs.getString(8), rs.getString(9), supervisor, rs.getString(11), init,
                    rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16),
                    rs.getString(17).isEmpty() ? List.of() : List.of(rs.getString(17).split(",")), rs.getString(18),
                    rs.getInt(19), rs.getInt(20), rs.getInt(21) != 0));
        }
        return out;
    }
}
