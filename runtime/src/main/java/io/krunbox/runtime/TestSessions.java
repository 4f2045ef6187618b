package io.krunbox.runtime;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.Durations;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.state.ProcessTruth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The sessions of test JVMs (krunbox-junit) and the reaper of what a dead one left. A session
 * labels its boxes, networks and volumes with its id and its JVM ({@code PID:START}), and keeps a
 * file {@code sessions/ID} fresh while it lives. Any krunbox command that looks at the boxes
 * (every {@link Boxes#reconcile()}) removes the objects of a session whose JVM is gone and whose
 * file has not been touched for the grace time ({@code KRUNBOX_REAP_GRACE}, default 10s); the next
 * session's start removes them at once.
 */
public final class TestSessions {
    public static final String OWNER_LABEL = "io.krunbox.junit.owner";
    public static final String SESSION_LABEL = "io.krunbox.junit.session";
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /** How often a live session touches its file. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(3);
    private static final ThreadLocal<Boolean> REAPING = ThreadLocal.withInitial(() -> false);

    private TestSessions() {}

    static Path dir(KrunboxHome home) {
        return home.root().resolve("sessions");
    }

    /** Records session {@code id} of JVM {@code owner}; the caller touches it every {@link #HEARTBEAT}. */
    public static Path register(KrunboxHome home, String id, String owner) {
        try {
            Files.createDirectories(dir(home));
            Path f = dir(home).resolve(id);
            Files.writeString(f, owner, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot record test session " + id + " in " + dir(home), e);
        }
    }

    /** Keeps a session's file fresh (a missing file is made again). */
    public static void heartbeat(KrunboxHome home, String id, String owner) {
        Path f = dir(home).resolve(id);
        try {
            Files.setLastModifiedTime(f, FileTime.from(Instant.now()));
        } catch (NoSuchFileException e) {
            register(home, id, owner);
        } catch (IOException e) {
            // the next beat tries again; a reaper only takes a session whose JVM is gone
        }
    }

    /** Ends a session that removed its own objects. */
    public static void unregister(KrunboxHome home, String id) {
        try {
            Files.deleteIfExists(dir(home).resolve(id));
        } catch (IOException e) {
            // left to a later reaper, which finds nothing to remove
        }
    }

    static Duration grace() {
        String v = System.getProperty("krunbox.reap.grace", Invocation.current().env("KRUNBOX_REAP_GRACE"));
        if (v == null || v.isBlank()) {
            return DEFAULT_GRACE;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            return DEFAULT_GRACE;
        }
    }

    /**
     * What every command does: the sessions whose JVM is gone and whose file is older than the
     * grace time are claimed (one command wins each) and their objects removed. Costs one
     * directory listing when there are none.
     */
    static void reapStale(KrunboxHome home, Boxes boxes) {
        Path dir = dir(home);
        if (REAPING.get() || !Files.isDirectory(dir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(grace());
        // a claim whose reaper died (10 minutes untouched) goes back for the next one
        try (DirectoryStream<Path> claims = Files.newDirectoryStream(dir, ".*.reaping")) {
            for (Path c : claims) {
                if (Files.getLastModifiedTime(c).toInstant().isBefore(Instant.now().minus(Duration.ofMinutes(10)))) {
                    String id = c.getFileName().toString();
                    Files.move(c, dir.resolve(id.substring(1, id.length() - ".reaping".length())),
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            // looked at again by the next command
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> !f.getFileName().toString().startsWith("."))) {
            for (Path f : files) {
                String owner;
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isAfter(cutoff)) {
                        continue;
                    }
                    owner = Files.readString(f, StandardCharsets.UTF_8).strip();
                } catch (IOException gone) {
                    continue;
                }
                if (!dead(owner)) {
                    continue;
                }
                Path claimed = dir.resolve("." + f.getFileName() + ".reaping");
                try {
                    Files.move(f, claimed, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException | AtomicMoveNotSupportedException other) {
                    continue;
                }
                reap(boxes, Map.of(SESSION_LABEL, f.getFileName().toString()));
                Files.deleteIfExists(claimed);
            }
        } catch (IOException e) {
            // the next command looks again
        }
    }

    /**
     * Removes every box, network and volume of a dead test JVM (the next session's start), but
     * not a session whose file is fresh: a JVM that looks dead from here (another PID namespace
     * sharing the home) still beats. Returns how many boxes.
     */
    public static int reapDead(KrunboxHome home, Boxes boxes) {
        java.util.Set<String> fresh = new java.util.HashSet<>();
        Instant cutoff = Instant.now().minus(grace());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir(home))) {
            for (Path f : files) {
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isAfter(cutoff)) {
                        fresh.add(f.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // not there any more
                }
            }
        } catch (IOException none) {
            // no sessions recorded
        }
        FRESH.set(fresh);
        try {
            return reap(boxes, null);
        } finally {
            FRESH.remove();
        }
    }

    private static final ThreadLocal<java.util.Set<String>> FRESH = ThreadLocal.withInitial(java.util.Set::of);

    /** With {@code match} null: the objects whose owner JVM is dead; else those carrying all of {@code match}'s labels. */
    private static int reap(Boxes boxes, Map<String, String> match) {
        boolean outer = REAPING.get();
        REAPING.set(true);
        try {
            int removed = 0;
            for (BoxRecord b : boxes.list(true)) {
                Map<String, String> labels = b.spec() == null ? Map.of() : b.spec().labels();
                if (takes(labels, match)) {
                    try {
                        boxes.remove(boxes.get(b.id()), true, true);
                        removed++;
                    } catch (Exception gone) {
                        // removed meanwhile by another reaper
                    }
                }
            }
            var nets = boxes.wiring().networks();
            for (var n : nets.store().all()) {
                if (takes(labelMap(n.labels()), match)) {
                    try {
                        nets.remove(n.name(), true);
                    } catch (RuntimeException inUse) {
                        // a box of a live session is still on it
                    }
                }
            }
            var vols = boxes.wiring().volumes();
            for (var v : vols.store().all()) {
                if (takes(labelMap(v.labels()), match)) {
                    try {
                        vols.remove(v.name(), true);
                    } catch (Exception inUse) {
                        // in use by a live box
                    }
                }
            }
            return removed;
        } finally {
            REAPING.set(outer);
        }
    }

    private static boolean takes(Map<String, String> labels, Map<String, String> match) {
        if (match == null) {
            String o = labels.get(OWNER_LABEL);
            String session = labels.get(SESSION_LABEL);
            return o != null && dead(o) && (session == null || !FRESH.get().contains(session));
        }
        return match.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static Map<String, String> labelMap(List<String> labels) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }

    private static boolean dead(String owner) {
        int colon = owner.indexOf(':');
        if (colon < 0) {
            return false;
        }
        try {
            return ProcessTruth.live(Long.parseLong(owner.substring(0, colon)), owner.substring(colon + 1)).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
