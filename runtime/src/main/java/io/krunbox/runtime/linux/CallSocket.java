package io.krunbox.runtime.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's connection: frames of {@code type (1 byte), length (4, big-endian), payload},
 * the first carrying the client's stdin, stdout and stderr as SCM_RIGHTS. Every length is
 * checked against a bound before anything is read into memory.
 */
public final class CallSocket implements AutoCloseable {
    /** The largest frame a client may send (the hello: argv and environment). */
    public static final int MAX_FRAME = 4 << 20;
    private static final int MAX_FDS = 8;

    public record Frame(byte type, byte[] payload) {}

    private final int fd;
    private final List<Integer> received = new ArrayList<>();
    private byte[] pending = new byte[0];
    private volatile boolean closed;

    public CallSocket(int fd) {
        this.fd = fd;
    }

    /** The uid of the process at the other end (SO_PEERCRED: pid, uid, gid). */
    public int peerUid() throws IOException {
        byte[] cred = new byte[12];
        try {
            Unix.C.getsockopt(fd, Unix.SOL_SOCKET, Unix.SO_PEERCRED, cred, new int[] {12});
        } catch (LastErrorException e) {
            throw new IOException("SO_PEERCRED: errno " + e.getErrorCode());
        }
        return le(cred, 4);
    }

    /** Reads the first bytes with their file descriptors; they are kept for {@link #takeFds}. */
    public void receiveFds() throws IOException {
        int bufLen = 65536;
        Memory buf = new Memory(bufLen);
        Memory iov = new Memory(16);
        iov.setPointer(0, buf);
        iov.setLong(8, bufLen);
        int controlLen = 16 + 4 * MAX_FDS;
        Memory control = new Memory(controlLen);
        control.clear();
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, controlLen);
        long n;
        try {
            n = Unix.C.recvmsg(fd, msg, Unix.MSG_CMSG_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("recvmsg: errno " + e.getErrorCode());
        }
        if (n <= 0) {
            throw new EOFException("the client closed the connection before its call");
        }
        long got = msg.getLong(40);
        int flags = msg.getInt(48);
        // walk the control messages: each {len (8), level (4), type (4), data}, aligned to 8
        long off = 0;
        while (off + 16 <= got) {
            long len = control.getLong(off);
            int level = control.getInt(off + 8);
            int type = control.getInt(off + 12);
            if (len < 16 || off + len > got) {
                break;
            }
            if (level == Unix.SOL_SOCKET && type == Unix.SCM_RIGHTS) {
                for (long p = off + 16; p + 4 <= off + len; p += 4) {
                    received.add(control.getInt(p));
                }
            }
            off += (len + 7) & ~7L;
        }
        if ((flags & 0x8) != 0) { // MSG_CTRUNC: more descriptors than we take; those we got are closed with us
            throw new IOException("the client sent more file descriptors than a call has");
        }
        pending = buf.getByteArray(0, (int) n);
    }

    /** The descriptors the first read brought; the caller owns them from now on. */
    public List<Integer> takeFds() {
        List<Integer> fds = List.copyOf(received);
        received.clear();
        return fds;
    }

    public Frame read() throws IOException {
        byte[] head = readFully(5);
        int len = ((head[1] & 0xff) << 24) | ((head[2] & 0xff) << 16) | ((head[3] & 0xff) << 8) | (head[4] & 0xff);
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("a frame of " + len + " bytes (at most " + MAX_FRAME + ")");
        }
        return new Frame(head[0], readFully(len));
    }

    /**
     * How long a read may wait (0: for ever): a client gets a bound for its hello, so one that
     * connects and says nothing cannot hold the server.
     */
    public void readTimeout(java.time.Duration d) throws IOException {
        long sec = d.toSeconds();
        long usec = d.toMillisPart() * 1000L;
        byte[] tv = new byte[16];
        for (int i = 0; i < 8; i++) {
            tv[i] = (byte) (sec >>> (8 * i));
            tv[8 + i] = (byte) (usec >>> (8 * i));
        }
        try {
            Unix.C.setsockopt(fd, Unix.SOL_SOCKET, Unix.SO_RCVTIMEO, tv, 16);
        } catch (LastErrorException e) {
            throw new IOException("SO_RCVTIMEO: errno " + e.getErrorCode());
        }
    }

    /** Ends both directions at once: a thread reading this socket sees its end (the number stays ours until close). */
    public void shutdown() {
        try {
            Unix.C.shutdown(fd, 2);
        } catch (LastErrorException ignored) {
            // not connected any more
        }
    }

    private byte[] readFully(int n) throws IOException {
        byte[] out = new byte[n];
        int have = Math.min(n, pending.length);
        System.arraycopy(pending, 0, out, 0, have);
        pending = java.util.Arrays.copyOfRange(pending, have, pending.length);
        while (have < n) {
            if (closed) {
                throw new EOFException("the connection is closed");
            }
            byte[] chunk = new byte[Math.min(65536, n - have)];
            long r;
            try {
                r = Unix.C.read(fd, chunk, chunk.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == 4) { // EINTR
                    continue;
                }
                throw new IOException("read: errno " + e.getErrorCode());
            }
            if (r <= 0) {
                throw new EOFException("the client went away");
            }
            System.arraycopy(chunk, 0, out, have, (int) r);
            have += (int) r;
        }
        return out;
    }

    public synchronized void write(byte type, byte[] payload) throws IOException {
        if (closed) {
            throw new IOException("the connection is closed");
        }
        byte[] frame = new byte[5 + payload.length];
        frame[0] = type;
        frame[1] = (byte) (payload.length >>> 24);
        frame[2] = (byte) (payload.length >>> 16);
        frame[3] = (byte) (payload.length >>> 8);
        frame[4] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 5, payload.length);
        int off = 0;
        while (off < frame.length) {
            byte[] rest = off == 0 ? frame : java.util.Arrays.copyOfRange(frame, off, frame.length);
            long w;
            try {
                w = Unix.C.write(fd, rest, rest.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == 4) {
                    continue;
                }
                throw new IOException("write: errno " + e.getErrorCode());
            }
            off += (int) w;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            for (int f : received) {
                Unix.C.close(f);
            }
            received.clear();
            Unix.C.close(fd);
        }
    }

    private static int le(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((b[at + 2] & 0xff) << 16) | ((b[at + 3] & 0xff) << 24);
    }
}
