package io.krunbox.runtime.hostfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The same work as {@link InRoot} for a box's root while nothing of the box runs (before it
 * starts, after it ended): nothing can change the tree meanwhile, so a walk that resolves the
 * box's links inside its root ({@link RootfsPath}) and never follows one at the last step is
 * enough, in plain Java. It spares each start the JNA set-up (about 80 ms of a cold JVM);
 * a running box's root is only ever worked on through {@link InRoot}.
 */
public final class IdleRoot {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final Path root;

    public IdleRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** {@code boxPath}'s directory resolved inside the root, and its last name. */
    private Path parentOf(String boxPath) {
        String p = boxPath.replaceAll("/+$", "");
        int slash = p.lastIndexOf('/');
        return RootfsPath.resolve(root, slash <= 0 ? "/" : p.substring(0, slash), true);
    }

    private static String nameOf(String boxPath) {
        String p = boxPath.replaceAll("/+$", "");
        String name = p.substring(p.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("\"" + boxPath + "\" does not name a file");
        }
        return name;
    }

    /** Replaces the file at {@code boxPath} with {@code data}: a fresh file renamed over whatever is there. */
    public void writeFile(String boxPath, byte[] data, int mode) throws IOException {
        Path dir = parentOf(boxPath);
        if (!Files.isDirectory(dir, NOFOLLOW)) {
            Files.createDirectories(dir); // resolved in the root: no link left on the way
        }
        Path tmp = dir.resolve("." + nameOf(boxPath) + ".krunbox-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try (SeekableByteChannel out = Files.newByteChannel(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, NOFOLLOW))) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                out.write(b);
            }
        }
        Files.setAttribute(tmp, "unix:mode", mode & 07777);
        Files.move(tmp, dir.resolve(nameOf(boxPath)), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The top-level {@code name} a real directory of the host's: a link or a file there is removed first. */
    public void ensureOwnDirectory(String name) throws IOException {
        Path p = root.resolve(name);
        if (Files.isDirectory(p, NOFOLLOW)) {
            return;
        }
        Files.deleteIfExists(p); // a link is removed, not followed
        Files.createDirectory(p);
    }

    /** Where a mount at {@code boxPath} goes: resolved inside the root, made when missing, with no link in it. */
    public String mountTarget(String boxPath, boolean directory) throws IOException {
        Path target = RootfsPath.resolve(root, boxPath, true);
        if (!Files.exists(target, NOFOLLOW)) {
            Files.createDirectories(target.getParent());
            if (directory) {
                Files.createDirectory(target);
            } else {
                Files.newByteChannel(target, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        NOFOLLOW)).close();
            }
        }
        BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, NOFOLLOW);
        if (directory != a.isDirectory() || a.isSymbolicLink()) {
            throw new IOException("the mount point " + boxPath + " in the box is " + (a.isDirectory() ? "a directory"
                    : "not a directory") + ", and what is mounted there is " + (directory ? "a directory" : "a file"));
        }
        return "/" + root.relativize(target);
    }

    /**
     * A file the box may have written, after its end: a regular file of at most {@code max}
     * bytes (a link, a device or a fifo is refused without being opened), or empty when absent.
     */
    public static Optional<byte[]> readBounded(Path file, int max) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
        } catch (java.nio.file.NoSuchFileException absent) {
            return Optional.empty();
        }
        if (a.isSymbolicLink()) {
            throw new IOException("cannot open " + file + ": a symbolic link where none may be");
        }
        if (!a.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        if (a.size() > max) {
            throw new IOException(file + " is larger than " + max + " bytes");
        }
        try (SeekableByteChannel in = Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            ByteBuffer b = ByteBuffer.allocate(max + 1);
            while (b.hasRemaining() && in.read(b) > 0) {
                // read to the end, or one byte past the bound
            }
            if (b.position() > max) {
                throw new IOException(file + " is larger than " + max + " bytes");
            }
            return Optional.of(java.util.Arrays.copyOf(b.array(), b.position()));
        }
    }
}
