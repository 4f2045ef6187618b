package io.krunbox.runtime.isolation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Where a box's stdout and stderr go (the caller's terminal, the box log, or both). */
public record BoxOutput(OutputStream out, OutputStream err) {
    /** Starts a daemon thread copying {@code from} into {@code to}, flushing as data arrives. */
    public static Thread pump(String name, InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buf)) > 0) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException ignored) {
                // the box ended or the reader went away: nothing more to copy
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
