package io.krunbox.runtime.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Descriptor-level file calls and namespace entry, as plain Java: ints in, ints out, and an
 * {@link Errno} with the errno when the kernel refuses.
 */
public final class Sys {
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000,
            O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_IN_ROOT = 0x10;
    public static final int AT_FDCWD = -100, AT_REMOVEDIR = 0x200;
    private static final long SYS_OPENAT2 = 437;
    private static final int AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100, STATX_BASIC_STATS = 0x7ff;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final LibC C = Native.load("c", LibC.class);

    private Sys() {}

    /** What statx says of a file: its mode (type and permission bits), size and modification time. */
    public record Stat(int mode, long size, long mtimeMillis) {}

    /** openat2(2) with {@code how = {flags | O_CLOEXEC, mode, resolve}}. */
    public static int openat2(int dirFd, String path, int flags, int mode, long resolve) {
        Memory how = new Memory(24);
        how.setLong(0, (long) flags | O_CLOEXEC);
        how.setLong(8, (flags & O_CREAT) != 0 ? mode : 0);
        how.setLong(16, resolve);
        return call("openat2", () -> C.syscall(SYS_OPENAT2, dirFd, path, how, 24));
    }

    public static int openat(int dirFd, String path, int flags, int mode) {
        return call("openat", () -> C.openat(dirFd, path, flags, mode));
    }

    public static void mkdirat(int dirFd, String path, int mode) {
        call("mkdirat", () -> C.mkdirat(dirFd, path, mode));
    }

    public static void unlinkat(int dirFd, String path, int flags) {
        call("unlinkat", () -> C.unlinkat(dirFd, path, flags));
    }

    public static void renameat(int oldDirFd, String oldPath, int newDirFd, String newPath) {
        call("renameat", () -> C.renameat(oldDirFd, oldPath, newDirFd, newPath));
    }

    public static void symlinkat(String target, int dirFd, String linkPath) {
        call("symlinkat", () -> C.symlinkat(target, dirFd, linkPath));
    }

    public static void fchmod(int fd, int mode) {
        call("fchmod", () -> C.fchmod(fd, mode));
    }

    public static long read(int fd, byte[] buf, int count) {
        return callLong("read", () -> C.read(fd, buf, count));
    }

    public static long write(int fd, byte[] buf, int count) {
        return callLong("write", () -> C.write(fd, buf, count));
    }

    public static void close(int fd) {
        call("close", () -> C.close(fd));
    }

    /** statx of the descriptor itself (AT_EMPTY_PATH, no link followed): no name is looked up. */
    public static Stat stat(int fd) {
        Memory buf = new Memory(256);
        call("statx", () -> C.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf));
        return new Stat(buf.getShort(28) & 0xffff, buf.getLong(40), buf.getLong(112) * 1000 + buf.getInt(120) / 1_000_000);
    }

    /** The target of the symbolic link {@code fd} (an O_PATH|O_NOFOLLOW descriptor of it) names. */
    public static String readLink(int fd) {
        byte[] b = new byte[4096];
        long n = callLong("readlinkat", () -> C.readlinkat(fd, "", b, b.length));
        return new String(b, 0, (int) n, StandardCharsets.UTF_8);
    }

    /** Moves the calling thread into the network namespace the file {@code netns} (/run/netns/NAME) stands for. */
    public static void enterNetworkNamespace(Path netns) {
        int fd = call("open " + netns, () -> C.open(netns.toString(), O_RDONLY | O_CLOEXEC));
        try {
            call("setns " + netns, () -> C.setns(fd, CLONE_NEWNET));
        } finally {
            C.close(fd);
        }
    }

    private interface IntCall {
        int run();
    }

    private interface LongCall {
        long run();
    }

    private static int call(String what, IntCall c) {
        try {
            return c.run();
        } catch (LastErrorException e) {
            throw new Errno(what, e.getErrorCode());
        }
    }

    private static long callLong(String what, LongCall c) {
        try {
            return c.run();
        } catch (LastErrorException e) {
            throw new Errno(what, e.getErrorCode());
        }
    }
}
