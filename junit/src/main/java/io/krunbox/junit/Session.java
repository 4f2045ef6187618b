package io.krunbox.junit;

import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.TestSessions;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.state.ProcessTruth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The krunbox runtime of one test JVM, opened once: what its boxes are started with, and the
 * labels that mark what this JVM made. Opening it first removes what a test JVM that died
 * (killed, crashed) left behind, and any krunbox command does so after a grace time: the reaper
 * ({@link TestSessions}).
 */
final class Session {
    /** Who made a box, network or volume: {@code PID:START} of the test JVM. */
    static final String OWNER_LABEL = TestSessions.OWNER_LABEL;
    static final String SESSION_LABEL = TestSessions.SESSION_LABEL;

    private static Session current;

    final Krunbox krunbox;
    final KrunboxHome home;
    final Images images;
    final BoxRunner runner;
    final Boxes boxes;
    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String owner;

    private Session() {
        krunbox = Krunbox.open(KrunboxHome.fromEnvironment().create());
        home = krunbox.home();
        images = krunbox.images();
        runner = krunbox.runner();
        boxes = krunbox.boxes();
        ProcessHandle me = ProcessHandle.current();
        owner = me.pid() + ":" + ProcessTruth.startOf(me);
    }

    static synchronized Session get() {
        if (current == null) {
            current = new Session();
            current.reap();
            current.register();
        }
        return current;
    }

    /** The labels of everything this session makes. */
    Map<String, String> labelMap() {
        return Map.of(SESSION_LABEL, id, OWNER_LABEL, owner);
    }

    /** The same as KEY=VALUE, as networks and volumes take them. */
    List<String> labels() {
        return labelMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }

    /** Removes the boxes, networks and volumes of test JVMs that are no longer alive; returns how many boxes. */
    int reap() {
        return TestSessions.reapDead(home, boxes);
    }

    /**
     * Records the session where every krunbox command sees it, and keeps it fresh while this JVM
     * lives: once the JVM is gone (killed), the first command after the grace time removes what it left.
     */
    private void register() {
        TestSessions.register(home, id, owner);
        java.util.concurrent.ScheduledExecutorService beat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "krunbox-session-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long ms = TestSessions.HEARTBEAT.toMillis();
        beat.scheduleAtFixedRate(() -> TestSessions.heartbeat(home, id, owner), ms, ms,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TestSessions.unregister(home, id), "krunbox-session-end"));
    }
}
