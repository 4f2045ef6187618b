package io.krunbox.runtime.linux;

import java.io.FileDescriptor;
import java.lang.reflect.Field;

/** A received descriptor number as a {@link FileDescriptor} of this JVM, and its release. */
public final class Descriptors {
    private static final Field FD = field();

    private Descriptors() {}

    private static Field field() {
        try {
            Field f = FileDescriptor.class.getDeclaredField("fd");
            f.setAccessible(true); // the server's JVM opens java.io (--add-opens) for this
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the JVM lets the server wrap descriptors (it must be started with java.io opened). */
    public static boolean available() {
        return FD != null;
    }

    public static FileDescriptor wrap(int n) {
        FileDescriptor d = new FileDescriptor();
        try {
            FD.setInt(d, n);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot wrap descriptor " + n, e);
        }
        return d;
    }

    /** The number behind {@code d}, or -1 once a stream over it closed it. */
    public static int number(FileDescriptor d) {
        try {
            return FD.getInt(d);
        } catch (IllegalAccessException e) {
            return -1;
        }
    }

    /**
     * Lets go of the caller's file at once while a thread may still hold the number: /dev/null
     * takes its place (so the number is never reused under that thread) until {@link #close}.
     */
    public static void detach(FileDescriptor d) {
        int n = number(d);
        if (n >= 0) {
            int nul = Unix.C.open("/dev/null", Unix.O_RDWR | Unix.O_CLOEXEC);
            try {
                Unix.C.dup2(nul, n);
            } finally {
                Unix.C.close(nul);
            }
        }
    }

    /** Closes {@code d} unless a stream over it already did (which marks it invalid). */
    public static synchronized void close(FileDescriptor d) {
        int n = number(d);
        if (n >= 0) {
            try {
                FD.setInt(d, -1);
            } catch (IllegalAccessException e) {
                return;
            }
            Unix.C.close(n);
        }
    }

    /** Whether {@code d} is a terminal. */
    public static boolean isTerminal(FileDescriptor d) {
        int n = number(d);
        return n >= 0 && Unix.C.isatty(n) == 1;
    }

    /** Closes a received descriptor number nothing wraps yet. */
    public static void closeNumber(int n) {
        Unix.C.close(n);
    }
}
