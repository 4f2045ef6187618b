package io.krunbox.junit;

import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.state.ProcessTruth;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The krunbox runtime of one test JVM, opened once: what its boxes are started with, and the
 * labels that mark what this JVM made. Opening it first removes what a test JVM that died
 * (killed, crashed) left behind: the reaper.
 */
final class Session {
    /** Who made a box, network or volume: {@code PID:START} of the test JVM. */
    static final String OWNER_LABEL = "io.krunbox.junit.owner";
    static final String SESSION_LABEL = "io.krunbox.junit.session";

    private static Session current;

    final KrunboxHome home;
    final Images images;
    final BoxRunner runner;
    final Boxes boxes;
    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String owner;

    private Session() {
        home = KrunboxHome.fromEnvironment();
        home.create();
        images = Images.open(home, java.util.Set.of());
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        runner = BoxRunner.fromEnvironment(images, quiet);
        boxes = new Boxes(home, new BoxStore(images.db()));
        ProcessHandle me = ProcessHandle.current();
        owner = me.pid() + ":" + ProcessTruth.startOf(me);
    }

    static synchronized Session get() {
        if (current == null) {
            current = new Session();
            current.reap();
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
        int removed = 0;
        for (BoxRecord b : boxes.list(true)) {
            String o = b.spec() == null ? null : b.spec().labels().get(OWNER_LABEL);
            if (o != null && dead(o)) {
                try {
                    boxes.remove(boxes.get(b.id()), true, true);
                    removed++;
                } catch (Exception gone) {
                    // removed meanwhile by another JVM's reaper
                }
            }
        }
        var nets = boxes.wiring().networks();
        for (var n : nets.store().all()) {
            String o = label(n.labels(), OWNER_LABEL);
            if (o != null && dead(o)) {
                try {
                    nets.remove(n.name(), true);
                } catch (RuntimeException inUse) {
                    // a box of a live session is still on it
                }
            }
        }
        var vols = boxes.wiring().volumes();
        for (var v : vols.store().all()) {
            String o = label(v.labels(), OWNER_LABEL);
            if (o != null && dead(o)) {
                try {
                    vols.remove(v.name(), true);
                } catch (Exception inUse) {
                    // in use by a live box
                }
            }
        }
        return removed;
    }

    private static String label(List<String> labels, String key) {
        for (String l : labels) {
            if (l.startsWith(key + "=")) {
                return l.substring(key.length() + 1);
            }
        }
        return null;
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
