package io.krunbox.runtime.linux;

import com.sun.jna.LastErrorException;
import java.io.FileDescriptor;

/**
 * Reads a server call's keyboard (the client's terminal) with a timeout: a thread of the server
 * must never sit in a read of the caller's terminal after the call, or it would take the next
 * key the caller types in their own shell.
 */
public final class CallerKeys {
    /** {@link #read} found nothing within the timeout. */
    public static final int NOTHING = -2;

    private CallerKeys() {}

    /** Up to {@code buf.length} bytes, -1 at the end of input, {@link #NOTHING} after {@code timeoutMs}. */
    public static int read(FileDescriptor in, byte[] buf, int timeoutMs) {
        int fd = Descriptors.number(in);
        if (fd < 0) {
            return -1;
        }
        byte[] pfd = new byte[8];
        pfd[0] = (byte) fd;
        pfd[1] = (byte) (fd >>> 8);
        pfd[2] = (byte) (fd >>> 16);
        pfd[3] = (byte) (fd >>> 24);
        pfd[4] = 1; // POLLIN
        try {
            int n = Unix.C.poll(pfd, 1, timeoutMs);
            if (n == 0) {
                return NOTHING;
            }
            long r = Unix.C.read(fd, buf, buf.length);
            return r <= 0 ? -1 : (int) r;
        } catch (LastErrorException e) {
            return e.getErrorCode() == 4 ? NOTHING : -1;
        }
    }
}
