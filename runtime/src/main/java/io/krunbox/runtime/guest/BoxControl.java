package io.krunbox.runtime.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A box's control directory, {@code boxes/<id>/control}: host-owned and outside the box's
 * writable root, seen by the box read-only at {@code /.krunbox} (a bind in the sandbox, the
 * virtio-fs share {@link #TAG} in a VM). It holds config.json and guest-init; its {@code run/}
 * (ready, exit) is the one part the box writes ({@link #RUN_TAG} in a VM), which the host only
 * ever reads without following links, bounded. {@code sock/} is where the box's socket
 * directory is bound.
 */
public record BoxControl(Path dir) {
    public static final String TAG = "kbctl";
    public static final String RUN_TAG = "kbrun";
    public static final String IN_BOX = "/.krunbox";

    public static BoxControl of(Path boxDir) {
        return new BoxControl(boxDir.resolve("control"));
    }

    public Path config() {
        return dir.resolve("config.json");
    }

    public Path init() {
        return dir.resolve("init");
    }

    public Path run() {
        return dir.resolve("run");
    }

    public Path ready() {
        return run().resolve("ready");
    }

    public Path exit() {
        return run().resolve("exit");
    }

    /** Makes the directory and its mount points, and the real directory {@code /.krunbox} in the box's root they go on. */
    public void prepare(Path rootfs) throws IOException {
        Files.createDirectories(run());
        Files.createDirectories(dir.resolve("sock"));
        if (rootfs != null) {
            new io.krunbox.runtime.hostfs.IdleRoot(rootfs).ensureOwnDirectory(IN_BOX.substring(1)); // before it starts
        }
    }

    /** Forgets the ready and exit records of a previous run (a restart, or start after stop). */
    public void clearRun() throws IOException {
        Files.deleteIfExists(ready()); // a link is removed, not followed
        Files.deleteIfExists(exit());
    }
}
