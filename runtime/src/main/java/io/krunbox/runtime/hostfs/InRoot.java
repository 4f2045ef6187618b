package io.krunbox.runtime.hostfs;

import io.krunbox.runtime.linux.Errno;
import io.krunbox.runtime.linux.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * A box's root directory opened by the host, and the files under it resolved by the kernel as
 * the box would resolve them (openat2 with {@code RESOLVE_IN_ROOT}: an absolute link starts at
 * the box's root, {@code ..} stops there, magic /proc links are refused). Whatever the box has
 * planted, or swaps in while the host works, nothing outside its root is read or written.
 */
public final class InRoot implements AutoCloseable {
    private final int rootFd;
    private final Path root;

    private InRoot(Path root, int rootFd) {
        this.root = root;
        this.rootFd = rootFd;
    }

    /** Opens {@code root} (itself a host path krunbox made, never a box's). */
    public static InRoot open(Path root) throws IOException {
        try {
            return new InRoot(root, Sys.openat(Sys.AT_FDCWD, root.toString(),
                    Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_NOFOLLOW | Sys.O_CLOEXEC, 0));
        } catch (Errno e) {
            throw failure(root.toString(), "open", e);
        }
    }

    public Path root() {
        return root;
    }

    /** A descriptor of {@code boxPath} resolved in the root; {@code flags} as open(2), O_CLOEXEC added. */
    public int openFd(String boxPath, int flags, int mode) throws IOException {
        return openat2(rootFd, relative(boxPath), flags, mode, Sys.RESOLVE_IN_ROOT | Sys.RESOLVE_NO_MAGICLINKS);
    }

    static int openat2(int dirFd, String path, int flags, int mode, long resolve) throws IOException {
        try {
            return Sys.openat2(dirFd, path, flags, mode, resolve);
        } catch (Errno e) {
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
     * Replaces the file at {@code boxPath} with {@code data} atomically (a fresh file renamed over
     * it: a link or device there is replaced, never followed). The directories up to it must exist.
     */
    public void writeFile(String boxPath, byte[] data, int mode) throws IOException {
        String[] dn = split(boxPath);
        BoxTree.writeFile(this, dn[0], dn[1], new java.io.ByteArrayInputStream(data), mode);
    }



    /** Whether {@code boxPath} resolves, inside the root, to a directory. */
    public boolean isDirectory(String boxPath) {
        try {
            int fd = openFd(boxPath, Sys.O_PATH | Sys.O_DIRECTORY, 0);
            Sys.close(fd);
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
            int parent = openFd(at.length() == 0 ? "." : at.toString(), Sys.O_PATH | Sys.O_DIRECTORY, 0);
            try {
                Sys.mkdirat(parent, part, 0755);
            } catch (Errno e) {
                if (e.code() != Errno.EEXIST) {
                    throw failure(boxPath, "mkdir", e);
                }
            } finally {
                Sys.close(parent);
            }
            at.append('/').append(part);
        }
        if (!isDirectory(boxPath)) {
            throw new IOException(boxPath + " in the box is not a directory");
        }
    }



    @Override
    public void close() {
        try {
            Sys.close(rootFd);
        } catch (Errno ignored) {
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
            path = Sys.openat(Sys.AT_FDCWD, file.toString(), Sys.O_PATH | Sys.O_NOFOLLOW | Sys.O_CLOEXEC, 0);
        } catch (Errno e) {
            if (e.code() == Errno.ENOENT) {
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
            fd = Sys.openat(Sys.AT_FDCWD, "/proc/self/fd/" + path, Sys.O_RDONLY | Sys.O_CLOEXEC, 0);
        } catch (Errno e) {
            throw failure(file.toString(), "open", e);
        } finally {
            Sys.close(path);
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
                long n = Sys.read(fd, chunk, chunk.length);
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
        } catch (Errno e) {
            throw failure(file.toString(), "read", e);
        } finally {
            Sys.close(fd);
        }
    }

    static IOException failure(String path, String op, Errno e) {
        String why = switch (e.code()) {
            case Errno.ELOOP -> "a symbolic link where none may be";
            case Errno.EXDEV -> "it leads out of the box's root";
            case Errno.ENOENT -> "no such file or directory";
            case Errno.ENOTDIR -> "not a directory";
            case Errno.EEXIST -> "it exists";
            default -> "error " + e.code();
        };
        return new IOException("cannot " + op + " " + path + ": " + why);
    }
}
