package io.krunbox.runtime.rootfs;

import io.krunbox.oci.layer.LayerUnpacker;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.hostfs.BoxTree;
import io.krunbox.runtime.hostfs.InRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code cp} between the host and a box's root file system, running or not. The box's side is
 * worked on by descriptor ({@link InRoot}, {@link BoxTree}): the path given is resolved inside
 * the box's root as the box would resolve it, and every entry below it is opened relative to
 * its parent without following a link, so neither a planted link nor one swapped in while the
 * copy runs can make it read or write outside the box.
 */
public final class BoxCopy {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private BoxCopy() {}

    /** The name a copy of {@code boxPath} gets on the other side. */
    private static String baseName(String boxPath) {
        Path p = Path.of(boxPath).normalize();
        return p.getFileName() == null ? "root" : p.getFileName().toString();
    }

    /** Box to host: {@code boxPath} into {@code host} (into it, when it is a directory). */
    public static void out(Path root, String boxPath, Path host) throws IOException {
        Path dest = Files.isDirectory(host) ? host.resolve(baseName(boxPath)) : host;
        try (InRoot box = InRoot.open(root)) {
            boolean found = BoxTree.walk(box, boxPath, e -> {
                Path to = e.relative().isEmpty() ? dest : dest.resolve(e.relative());
                switch (e.kind()) {
                    case DIRECTORY -> Files.createDirectories(to);
                    case FILE -> {
                        try (InputStream in = e.open()) {
                            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                        Files.setPosixFilePermissions(to, io.krunbox.runtime.base.FileModes.permissions(e.mode()));
                        Files.setLastModifiedTime(to, java.nio.file.attribute.FileTime.fromMillis(e.mtimeMillis()));
                    }
                    case SYMLINK -> {
                        Files.deleteIfExists(to);
                        Files.createSymbolicLink(to, Path.of(e.linkTarget()));
                    }
                    case OTHER -> { } // devices and fifos are not copied out
                }
            });
            if (!found) {
                throw new BoxException("no such file or directory in the box: " + boxPath);
            }
        }
    }

    /** Host to box: {@code host} into {@code boxPath} (into it, when it is a directory in the box). */
    public static void in(Path host, Path root, String boxPath) throws IOException {
        if (!Files.exists(host, NOFOLLOW)) {
            throw new BoxException("no such file or directory: " + host);
        }
        try (InRoot box = InRoot.open(root)) {
            copyIn(host, box, box.isDirectory(boxPath) ? boxPath + "/" + host.getFileName() : boxPath);
        }
    }

    private static void copyIn(Path host, InRoot box, String base) throws IOException {
        try (Stream<Path> all = Files.walk(host)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = host.relativize(p).toString();
                String target = rel.isEmpty() ? base : base + "/" + rel;
                String parent = target.contains("/") ? target.substring(0, Math.max(1, target.lastIndexOf('/'))) : "/";
                String name = target.substring(target.lastIndexOf('/') + 1);
                if (Files.isSymbolicLink(p)) {
                    BoxTree.symlink(box, parent, name, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p, NOFOLLOW)) {
                    box.makeDirectories(target);
                } else if (Files.isRegularFile(p, NOFOLLOW)) {
                    int mode = ((Number) Files.getAttribute(p, "unix:mode", NOFOLLOW)).intValue();
                    try (InputStream in = Files.newInputStream(p)) {
                        BoxTree.writeFile(box, parent, name, in, mode);
                    }
                }
            }
        }
    }

    /** Box to a tar stream ({@code cp BOX:PATH -}). */
    public static void outTar(Path root, String boxPath, OutputStream tarOut) throws IOException {
        outTar(root, boxPath, tarOut, false);
    }

    /** The box's whole root as a tar ({@code export}): names from the root, krunbox's own /.krunbox left out. */
    public static void exportTar(Path root, OutputStream tarOut) throws IOException {
        outTar(root, "/", tarOut, true);
    }

    private static void outTar(Path root, String boxPath, OutputStream tarOut, boolean whole) throws IOException {
        String base = baseName(boxPath);
        try (InRoot box = InRoot.open(root); TarArchiveOutputStream tar = new TarArchiveOutputStream(tarOut)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            boolean found = BoxTree.walk(box, boxPath, e -> {
                if (whole && (e.relative().isEmpty() || e.relative().equals(".krunbox")
                        || e.relative().startsWith(".krunbox/"))) {
                    return;
                }
                String name = whole ? e.relative() : base + (e.relative().isEmpty() ? "" : "/" + e.relative());
                TarArchiveEntry t;
                switch (e.kind()) {
                    case DIRECTORY -> t = new TarArchiveEntry(name + "/");
                    case SYMLINK -> {
                        t = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        t.setLinkName(e.linkTarget());
                    }
                    case FILE -> {
                        t = new TarArchiveEntry(name);
                        t.setSize(e.size());
                    }
                    default -> {
                        return;
                    }
                }
                t.setMode((e.kind() == BoxTree.Kind.DIRECTORY ? 040000 : e.kind() == BoxTree.Kind.SYMLINK ? 0120000 : 0100000)
                        | e.mode());
                t.setModTime(e.mtimeMillis());
                tar.putArchiveEntry(t);
                if (e.kind() == BoxTree.Kind.FILE) {
                    try (InputStream in = e.open()) {
                        // exactly the size announced: a file the box grows or shrinks meanwhile cannot break the stream
                        long left = e.size();
                        byte[] buf = new byte[65536];
                        while (left > 0) {
                            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                            if (n < 0) {
                                break;
                            }
                            tar.write(buf, 0, n);
                            left -= n;
                        }
                        for (; left > 0; left--) {
                            tar.write(0);
                        }
                    }
                }
                tar.closeArchiveEntry();
            });
            if (!found) {
                throw new BoxException("no such file or directory in the box: " + boxPath);
            }
        }
    }

    /**
     * A tar stream into a directory of the box ({@code cp - BOX:DIR}): unpacked (and checked by
     * the layer unpacker) beside the box first, then copied in by descriptor like any host tree.
     */
    public static void inTar(InputStream tar, Path root, String boxDir) throws IOException {
        try (InRoot box = InRoot.open(root)) {
            if (!box.isDirectory(boxDir)) {
                throw new BoxException("the destination of a tar stream must be a directory in the box: " + boxDir);
            }
            Path staging = Files.createTempDirectory(root.toAbsolutePath().getParent(), "cp-in-");
            try {
                new LayerUnpacker(LayerUnpacker.Whiteouts.DELETE, s -> {}).unpack(tar, staging, null, "cp -");
                try (Stream<Path> top = Files.list(staging)) {
                    for (Path p : top.toList()) {
                        copyIn(p, box, (boxDir.endsWith("/") ? boxDir : boxDir + "/") + p.getFileName());
                    }
                }
            } finally {
                LayerUnpacker.deleteTree(staging);
            }
        }
    }
}
