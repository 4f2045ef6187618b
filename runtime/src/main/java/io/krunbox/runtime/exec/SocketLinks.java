package io.krunbox.runtime.exec;

import io.krunbox.runtime.base.BoxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Short paths for box sockets: {@code /tmp/krunbox-<uid>/<short-id>} is a symlink to the
 * box's socket directory, so {@code sun_path} (108 bytes) holds whatever KRUNBOX_HOME is.
 * The parent is 0700 and must be ours: one owned by someone else is refused, never used.
 */
public final class SocketLinks {
    private final Path root;

    public SocketLinks(Path root) {
        this.root = root;
    }

    public static SocketLinks forThisUser() {
        try {
            int uid = (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return new SocketLinks(Path.of("/tmp", "krunbox-" + uid));
        } catch (IOException e) {
            throw new BoxException("cannot tell this process's uid: " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The short path of a box's socket directory. */
    public Path of(String shortId) {
        return root.resolve(shortId);
    }

    /** Makes {@code root/shortId} point at {@code target}, creating the 0700 parent as needed. */
    public Path link(String shortId, Path target) throws IOException {
        ensureRoot();
        Path link = of(shortId);
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            // compared by file identity, not by spelling
            if (Files.exists(link) && Files.isSameFile(link, target)) {
                return link;
            }
            if (Files.exists(link)) {
                throw new BoxException("socket link " + link + " already points at another box's directory ("
                        + Files.readSymbolicLink(link) + "); box ids clash");
            }
            Files.delete(link); // dangling: a box that is gone
        }
        Files.createSymbolicLink(link, target);
        return link;
    }

    public void unlink(String shortId) {
        try {
            Files.deleteIfExists(of(shortId));
        } catch (IOException ignored) {
            // swept at the next start-up
        }
    }

    /** Removes links whose box directory is gone. */
    public void sweep() {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> links = Files.list(root)) {
            for (Path l : (Iterable<Path>) links::iterator) {
                if (Files.isSymbolicLink(l) && !Files.exists(l)) {
                    Files.deleteIfExists(l);
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    private void ensureRoot() throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another krunbox made it: checked below like any
            }
        }
        if (Files.isSymbolicLink(root) || !Files.isDirectory(root)) {
            throw new BoxException(root + " is not a directory: remove it so krunbox can make its socket directory");
        }
        int owner = (int) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int me = (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (owner != me) {
            throw new BoxException(root + " belongs to uid " + owner + ", not to you (uid " + me + "): krunbox will not"
                    + " put box sockets there; remove it, or find out who made it");
        }
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    }
}
