package io.krunbox.statedb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code state.db}: SQLite in WAL mode, the single source of truth of krunbox. Each module
 * applies its own named migrations once; every mutation is one transaction
 * ({@link #inTransaction}), and concurrent krunbox processes wait for each other.
 */
public final class StateDb implements AutoCloseable {
    private final Connection conn;

    private StateDb(Connection conn) {
        this.conn = conn;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Object> OPENING =
            new java.util.concurrent.ConcurrentHashMap<>();

    public static StateDb open(Path file) {
        try {
            Files.createDirectories(file.getParent());
            // the driver's connection itself: DriverManager would first scan the class path for
            // every JDBC driver, a cost each short-lived CLI call pays
            Connection c = new org.sqlite.jdbc4.JDBC4Connection("jdbc:sqlite:" + file, file.toString(),
                    new java.util.Properties());
            // a fresh file is switched to WAL under an exclusive lock that busy_timeout does not wait for:
            // calls of one JVM (the warm server) take turns, other processes are retried for a while
            synchronized (OPENING.computeIfAbsent(file.toAbsolutePath().normalize().toString(), k -> new Object())) {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA busy_timeout = 30000");
                        s.execute("PRAGMA journal_mode = WAL");
                        s.execute("PRAGMA foreign_keys = ON");
                        s.execute("PRAGMA synchronous = NORMAL");
                        s.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
                        break;
                    } catch (SQLException e) {
                        boolean busy = e.getMessage() != null && e.getMessage().contains("SQLITE_BUSY");
                        if (!busy || System.nanoTime() > deadline) {
                            c.close();
                            throw e;
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            c.close();
                            throw e;
                        }
                    }
                }
            }
            return new StateDb(c);
        } catch (SQLException | java.io.IOException e) {
            throw new StateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    public Connection connection() {
        return conn;
    }

    /** Migrations recorded when this handle first looked; read without the write lock. */
    private java.util.Set<String> applied;

    /** Applies a named migration once (the DDL runs in one transaction with its record). */
    public synchronized void migrate(String name, String... ddl) {
        if (applied == null) {
            applied = read(c -> {
                java.util.Set<String> names = new java.util.HashSet<>();
                try (Statement s = c.createStatement();
                        java.sql.ResultSet r = s.executeQuery("SELECT name FROM migrations")) {
                    while (r.next()) {
                        names.add(r.getString(1));
                    }
                }
                return names;
            });
        }
        if (applied.contains(name)) {
            return; // applied once, never undone: no write transaction needed to know it
        }
        inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM migrations WHERE name = ?")) {
                q.setString(1, name);
                if (q.executeQuery().next()) {
                    return null;
                }
            }
            try (Statement s = c.createStatement()) {
                for (String sql : ddl) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO migrations (name, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))")) {
                ins.setString(1, name);
                ins.executeUpdate();
            }
            return null;
        });
        applied.add(name);
    }

    /** Work that reads and writes state in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one IMMEDIATE transaction: writers queue instead of failing. */
    public synchronized <T> T inTransaction(Work<T> work) {
        try {
            try (Statement s = conn.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            try {
                T result = work.run(conn);
                try (Statement s = conn.createStatement()) {
                    s.execute("COMMIT");
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                try (Statement s = conn.createStatement()) {
                    s.execute("ROLLBACK");
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StateException("state.db: " + e.getMessage(), e);
        }
    }

    /** Reads without a write lock. */
    public synchronized <T> T read(Work<T> work) {
        try {
            return work.run(conn);
        } catch (SQLException e) {
            throw new StateException("state.db: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException ignored) {
            // closing a read-only or already closed handle
        }
    }

    /** state.db could not be read or written. */
    public static final class StateException extends RuntimeException {
        public StateException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
