package io.krunbox.runtime.hostfs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A box's root directory opened by the host, and the files under it resolved by the kernel as
 * the box would resolve them (openat2 with {@code RESOLVE_IN_ROOT}: an absolute link starts at
 * the box's root, {@code ..} stops there, magic /proc links are refused). Whatever the box has
 * planted, or swaps in while the host works, nothing outside its root is read or written.
 */
public final class InRoot implements AutoCloseable {
    private static final int ELOOP = 40, EEXIST = 17, ENOENT = 2, ENOTDIR = 20, EISDIR = 21, EXDEV = 18;
    private final int rootFd;
    private final Path root;

    private InRoot(Path root, int rootFd) {
        this.root = root;
        this.rootFd = rootFd;
    }

    /** Opens {@code root} (itself a host path krunbox made, never a box's). */
    public static InRoot open(Path root) throws IOException {
        try {
            return new InRoot(root, LibC.C.openat(LibC.AT_FDCWD, root.toString(),
                    LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0));
        } catch (LastErrorException e) {
            throw failure(root.toString(), "open", e);
        }
    }

    public Path root() {
        return root;
    }

    /** A descriptor of {@code boxPath} resolved in the root; {@code flags} as open(2), O_CLOEXEC added. */
    public int openFd(String boxPath, int flags, int mode) throws IOException {
        return openat2(rootFd, relative(boxPath), flags, mode, LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_MAGICLINKS);
    }

    static int openat2(int dirFd, String path, int flags, int mode, long resolve) throws IOException {
        Memory how = new Memory(24);
        how.setLong(0, (long) flags | LibC.O_CLOEXEC);
        how.setLong(8, (flags & LibC.O_CREAT) != 0 ? mode : 0);
        how.setLong(16, resolve);
        try {
            return LibC.C.syscall(LibC.SYS_OPENAT2, dirFd, path, how, 24);
        } catch (LastErrorException e) {
            throw failure(path, "open", e);
        }
    }

    private static String relative(String boxPath) {
        String p = boxPath;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() ? "." : p;
    }

    /** The directory part and the last name of a box path ({@code /etc/hosts} -> {@code /etc}, {@code hosts}). */
    private static String[] split(String boxPath) {
        String p = boxPath.replaceAll("/+$", "");
        int slash = p.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : p.substring(0, slash), name = p.substring(slash + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("\"" + boxPath + "\" does not name a file");
        }
        return new String[] {dir, name};
    }

    /**
     * Replaces the file at {@code boxPath} with {@code data} atomically: written to a fresh
     * temporary file made beside it (O_EXCL, no link followed) and renamed over it, so a
     * symlink there is replaced, never followed. The directories up to it must exist.
     */
    public void writeFile(String boxPath, byte[] data, int mode) throws IOException {
        String[] dn = split(boxPath);
        int dir = openFd(dn[0], LibC.O_PATH | LibC.O_DIRECTORY, 0);
        try {
            String tmp = "." + dn[1] + ".krunbox-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            int fd;
            try {
                fd = LibC.C.openat(dir, tmp, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC,
                        mode);
            } catch (LastErrorException e) {
                throw failure(boxPath, "create", e);
            }
            try {
                writeAll(fd, data, boxPath);
                LibC.C.fchmod(fd, mode); // not narrowed by the umask
            } finally {
                LibC.C.close(fd);
            }
            try {
                LibC.C.renameat(dir, tmp, dir, dn[1]);
            } catch (LastErrorException e) {
                unlinkQuietly(dir, tmp);
                throw failure(boxPath, "rename", e);
            }
        } finally {
            LibC.C.close(dir);
        }
    }

    private static void writeAll(int fd, byte[] data, String what) throws IOException {
        int off = 0;
        while (off < data.length) {
            byte[] chunk = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
            long n;
            try {
                n = LibC.C.write(fd, chunk, chunk.length);
            } catch (LastErrorException e) {
                throw failure(what, "write", e);
            }
            off += (int) n;
        }
    }

    private static void unlinkQuietly(int dir, String name) {
        try {
            LibC.C.unlinkat(dir, name, 0);
        } catch (LastErrorException ignored) {
            // already gone
        }
    }

    /** Whether {@code boxPath} resolves, inside the root, to a directory. */
    public boolean isDirectory(String boxPath) {
        try {
            int fd = openFd(boxPath, LibC.O_PATH | LibC.O_DIRECTORY, 0);
            LibC.C.close(fd);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Makes {@code boxPath} and its parents as directories inside the root (mode 0755), as mkdir -p. */
    public void makeDirectories(String boxPath) throws IOException {
        String rel = relative(boxPath);
        if (rel.equals(".")) {
            return;
        }
        StringBuilder at = new StringBuilder();
        for (String part : rel.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            int parent = openFd(at.length() == 0 ? "." : at.toString(), LibC.O_PATH | LibC.O_DIRECTORY, 0);
            try {
                LibC.C.mkdirat(parent, part, 0755);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EEXIST) {
                    throw failure(boxPath, "mkdir", e);
                }
            } finally {
                LibC.C.close(parent);
            }
            at.append('/').append(part);
        }
        if (!isDirectory(boxPath)) {
            throw new IOException(boxPath + " in the box is not a directory");
        }
    }

    /**
     * Makes sure the top-level entry {@code name} of the root is a real directory the host made
     * its mounts on: anything else there (a symlink, a file) is removed first, not followed.
     */
    public void ensureOwnDirectory(String name) throws IOException {
        if (name.contains("/")) {
            throw new IllegalArgumentException(name + " is not a top-level name");
        }
        try {
            int fd = LibC.C.openat(rootFd, name, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            LibC.C.close(fd);
            return;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != ENOENT && e.getErrorCode() != ENOTDIR && e.getErrorCode() != ELOOP) {
                throw failure(name, "open", e);
            }
        }
        try {
            LibC.C.unlinkat(rootFd, name, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != ENOENT && e.getErrorCode() != EISDIR) {
                throw failure(name, "remove", e);
            }
        }
        try {
            LibC.C.mkdirat(rootFd, name, 0755);
        } catch (LastErrorException e) {
            throw failure(name, "mkdir", e);
        }
    }

    /**
     * Where a mount at {@code boxPath} really goes: the path resolved inside the root (links the
     * box has followed there, never out of it), made first when missing (a directory, or an empty
     * file when {@code directory} is false). The result has no link in it, so a launcher that
     * resolves it again (bubblewrap, running as root with the host's / still reachable) lands on
     * the same place.
     */
    public String mountTarget(String boxPath, boolean directory) throws IOException {
        // where the box's links lead, inside the root (the box is not running: nothing changes meanwhile)
        Path inRoot = io.krunbox.runtime.rootfs.RootfsPath.resolve(root, boxPath, true);
        boxPath = "/" + root.relativize(inRoot);
        String[] dn = split(boxPath);
        makeDirectories(dn[0]);
        int fd;
        try {
            fd = openat2(rootFd, relative(boxPath), LibC.O_PATH, 0, LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_SYMLINKS);
        } catch (IOException missing) {
            if (directory) {
                makeDirectories(boxPath);
            } else {
                int dir = openFd(dn[0], LibC.O_PATH | LibC.O_DIRECTORY, 0);
                try {
                    LibC.C.close(LibC.C.openat(dir, dn[1], LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW
                            | LibC.O_CLOEXEC, 0644));
                } catch (LastErrorException e) {
                    throw failure(boxPath, "make the mount point", e);
                } finally {
                    LibC.C.close(dir);
                }
            }
            fd = openat2(rootFd, relative(boxPath), LibC.O_PATH, 0, LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_SYMLINKS);
        }
        try {
            int type = BoxTree.fileType(fd);
            if (directory != (type == 0040000)) {
                throw new IOException("the mount point " + boxPath + " in the box is " + (type == 0040000 ? "a directory"
                        : "not a directory") + ", and what is mounted there is " + (directory ? "a directory" : "a file"));
            }
            Path real = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
            Path rootReal = Files.readSymbolicLink(Path.of("/proc/self/fd/" + rootFd));
            if (!real.startsWith(rootReal)) {
                throw new IOException(boxPath + " lies outside the box");
            }
            return "/" + rootReal.relativize(real);
        } finally {
            LibC.C.close(fd);
        }
    }

    @Override
    public void close() {
        try {
            LibC.C.close(rootFd);
        } catch (LastErrorException ignored) {
            // nothing to do
        }
    }

    /**
     * Reads a file that a box may have written (such as its exit record) without following a
     * link and without blocking on a fifo: a regular file of at most {@code max} bytes, or empty.
     */
    public static java.util.Optional<byte[]> readBounded(Path file, int max) throws IOException {
        int path;
        try {
            // O_PATH first: a device node the box planted is never opened (opening one can act, a watchdog reboots)
            path = LibC.C.openat(LibC.AT_FDCWD, file.toString(), LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) {
                return java.util.Optional.empty();
            }
            throw failure(file.toString(), "open", e);
        }
        int fd;
        try {
            int type = BoxTree.fileType(path);
            if (type == 0120000) {
                throw new IOException("cannot open " + file + ": a symbolic link where none may be");
            }
            if (type != 0100000) {
                throw new IOException(file + " is not a regular file");
            }
            fd = LibC.C.openat(LibC.AT_FDCWD, "/proc/self/fd/" + path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw failure(file.toString(), "open", e);
        } finally {
            LibC.C.close(path);
        }
        try {
            PosixFileAttributes a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), PosixFileAttributes.class);
            if (a.size() > max) {
                throw new IOException(file + " is larger than " + max + " bytes");
            }
            byte[] buf = new byte[max + 1];
            int len = 0;
            while (len <= max) {
                byte[] chunk = new byte[max + 1 - len];
                long n = LibC.C.read(fd, chunk, chunk.length);
                if (n <= 0) {
                    break;
                }
                System.arraycopy(chunk, 0, buf, len, (int) n);
                len += (int) n;
            }
            if (len > max) {
                throw new IOException(file + " is larger than " + max + " bytes");
            }
            return java.util.Optional.of(java.util.Arrays.copyOf(buf, len));
        } catch (LastErrorException e) {
            throw failure(file.toString(), "read", e);
        } finally {
            LibC.C.close(fd);
        }
    }

    static IOException failure(String path, String op, LastErrorException e) {
        String why = switch (e.getErrorCode()) {
            case ELOOP -> "a symbolic link where none may be";
            case EXDEV -> "it leads out of the box's root";
            case ENOENT -> "no such file or directory";
            case ENOTDIR -> "not a directory";
            case EEXIST -> "it exists";
            default -> "error " + e.getErrorCode();
        };
        return new IOException("cannot " + op + " " + path + ": " + why);
    }
}
