package io.krunbox.runtime.hostfs;

import io.krunbox.runtime.linux.Errno;
import io.krunbox.runtime.linux.Sys;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A directory tree inside a box's root, walked and written by descriptor: the starting point is
 * resolved inside the root ({@link InRoot}), and every entry below it is opened relative to its
 * parent's descriptor without following a link. A running box that swaps a directory for a link
 * while the host copies cannot send the host anywhere else.
 */
public final class BoxTree {
    private static final int MAX_DEPTH = 256;

    /** One entry of a walk: its path below the start ("" for the start), kind, mode, size and time. */
    public record Entry(String relative, Kind kind, int mode, long size, long mtimeMillis, String linkTarget, int fd) {
        /** The content of a regular file: the very file the walk opened, no path looked up again. */
        public InputStream open() throws IOException {
            return new FileInputStream("/proc/self/fd/" + fd);
        }
    }

    public enum Kind { DIRECTORY, FILE, SYMLINK, OTHER }

    /** What {@link #walk} hands each entry to. */
    @FunctionalInterface
    public interface Visitor {
        void visit(Entry e) throws IOException;
    }

    private BoxTree() {}

    /**
     * Walks {@code boxPath} (resolved in the root, a link as its last part followed inside it):
     * the entry first, then, for a directory, everything below it, depth first, names sorted.
     * Returns false when there is nothing there.
     */
    public static boolean walk(InRoot root, String boxPath, Visitor visitor) throws IOException {
        int fd;
        try {
            fd = root.openFd(boxPath, Sys.O_PATH, 0);
        } catch (IOException missing) {
            return false;
        }
        try {
            visit(fd, "", visitor, 0);
        } finally {
            Sys.close(fd);
        }
        return true;
    }

    /** Visits the entry {@code fd} (an O_PATH descriptor of it) and what lies below it. */
    private static void visit(int fd, String relative, Visitor visitor, int depth) throws IOException {
        Sys.Stat st = stat(fd);
        Kind kind = switch (st.mode() & 0170000) {
            case 0040000 -> Kind.DIRECTORY;
            case 0100000 -> Kind.FILE;
            case 0120000 -> Kind.SYMLINK;
            default -> Kind.OTHER;
        };
        visitor.visit(new Entry(relative, kind, st.mode() & 07777, st.size(), st.mtimeMillis(),
                kind == Kind.SYMLINK ? readLink(fd) : null, fd));
        if (kind != Kind.DIRECTORY) {
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw new IOException("the box's tree is deeper than " + MAX_DEPTH + " directories at " + relative);
        }
        int dir = openat(fd, ".", Sys.O_RDONLY | Sys.O_DIRECTORY);
        try {
            // a set: a name listed twice (a box racing the listing) is visited once
            java.util.SortedSet<String> names = new java.util.TreeSet<>();
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd/" + dir))) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            }
            for (String n : names) {
                int child;
                try {
                    child = openat(dir, n, Sys.O_PATH | Sys.O_NOFOLLOW);
                } catch (IOException goneMeanwhile) {
                    continue; // the box removed it while we looked
                }
                try {
                    visit(child, relative.isEmpty() ? n : relative + "/" + n, visitor, depth + 1);
                } finally {
                    Sys.close(child);
                }
            }
        } finally {
            Sys.close(dir);
        }
    }

    /**
     * Writes {@code content} as the file {@code name} in the box directory {@code dirBoxPath}
     * (resolved in the root): a file there is overwritten, a link or anything else replaced,
     * never followed.
     */
    public static void writeFile(InRoot root, String dirBoxPath, String name, InputStream content, int mode)
            throws IOException {
        checkName(name);
        int dir = root.openFd(dirBoxPath, Sys.O_PATH | Sys.O_DIRECTORY, 0);
        try {
            // a fresh file beside it, renamed over it: whatever the box left at the name (a link, a device,
            // a fifo) is replaced, never opened
            String tmp = "." + name + ".krunbox-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
            int fd = openat(dir, tmp, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_EXCL | Sys.O_NOFOLLOW);
            try {
                try (OutputStream out = new FileOutputStream("/proc/self/fd/" + fd)) {
                    content.transferTo(out);
                }
                Sys.fchmod(fd, mode & 07777);
            } catch (IOException | Errno e) {
                unlink(dir, tmp);
                throw e instanceof IOException io ? io : new IOException("cannot write " + dirBoxPath + "/" + name, e);
            } finally {
                Sys.close(fd);
            }
            try {
                Sys.renameat(dir, tmp, dir, name);
            } catch (Errno e) {
                unlink(dir, tmp);
                throw InRoot.failure(dirBoxPath + "/" + name, "write", e);
            }
        } finally {
            Sys.close(dir);
        }
    }

    /** Makes {@code name} in the box directory {@code dirBoxPath} a link to {@code target}; whatever was there goes. */
    public static void symlink(InRoot root, String dirBoxPath, String name, String target) throws IOException {
        checkName(name);
        int dir = root.openFd(dirBoxPath, Sys.O_PATH | Sys.O_DIRECTORY, 0);
        try {
            unlink(dir, name);
            try {
                Sys.symlinkat(target, dir, name);
            } catch (Errno e) {
                throw InRoot.failure(dirBoxPath + "/" + name, "make a link at", e);
            }
        } finally {
            Sys.close(dir);
        }
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
            throw new IllegalArgumentException("\"" + name + "\" is not a file name");
        }
    }

    private static void unlink(int dir, String name) {
        try {
            Sys.unlinkat(dir, name, 0);
        } catch (Errno notThere) {
            // nothing there, or a directory (which the open that follows refuses)
        }
    }

    private static int openat(int dir, String name, int flags) throws IOException {
        try {
            return Sys.openat(dir, name, flags | Sys.O_CLOEXEC, 0);
        } catch (Errno e) {
            throw InRoot.failure(name, "open", e);
        }
    }

    /** The S_IFMT bits of what {@code fd} (an O_PATH descriptor, say) refers to. */
    static int fileType(int fd) throws IOException {
        return stat(fd).mode() & 0170000;
    }

    /** statx of the descriptor itself: no name is looked up. */
    private static Sys.Stat stat(int fd) throws IOException {
        try {
            return Sys.stat(fd);
        } catch (Errno e) {
            throw InRoot.failure("a file in the box", "stat", e);
        }
    }

    private static String readLink(int fd) throws IOException {
        try {
            return Sys.readLink(fd);
        } catch (Errno e) {
            throw InRoot.failure("a link in the box", "read", e);
        }
    }
}
