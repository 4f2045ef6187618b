package io.krunbox.runtime;

import io.krunbox.oci.layer.LayerUnpacker;
import io.krunbox.runtime.rootfs.RootfsPath;
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
 * {@code cp} between the host and a box's root file system. Every path on the box's side is
 * resolved inside its root ({@link RootfsPath}), entry by entry, so a symlink in the box
 * can never make a copy read or write outside it.
 */
public final class BoxCopy {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private BoxCopy() {}

    /** Box to host: {@code boxPath} into {@code host} (into it, when it is a directory). */
    public static void out(Path root, String boxPath, Path host) throws IOException {
        Path src = RootfsPath.resolve(root, boxPath, true);
        if (!Files.exists(src, NOFOLLOW)) {
            throw new BoxException("no such file or directory in the box: " + boxPath);
        }
        Path dest = Files.isDirectory(host) ? host.resolve(src.getFileName().toString()) : host;
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                copyOne(p, dest.resolve(src.relativize(p).toString()));
            }
        }
    }

    /** Host to box: {@code host} into {@code boxPath} (into it, when it is a directory in the box). */
    public static void in(Path host, Path root, String boxPath) throws IOException {
        if (!Files.exists(host, NOFOLLOW)) {
            throw new BoxException("no such file or directory: " + host);
        }
        Path at = RootfsPath.resolve(root, boxPath, true);
        String base = Files.isDirectory(at) ? boxPath + "/" + host.getFileName() : boxPath;
        try (Stream<Path> all = Files.walk(host)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = host.relativize(p).toString();
                // resolved again for every entry: a symlink already in the box cannot redirect it
                Path target = RootfsPath.resolve(root, rel.isEmpty() ? base : base + "/" + rel, false);
                copyOne(p, target);
            }
        }
    }

    /** Box to a tar stream ({@code cp BOX:PATH -}). */
    public static void outTar(Path root, String boxPath, OutputStream tarOut) throws IOException {
        Path src = RootfsPath.resolve(root, boxPath, true);
        if (!Files.exists(src, NOFOLLOW)) {
            throw new BoxException("no such file or directory in the box: " + boxPath);
        }
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarOut); Stream<Path> all = Files.walk(src)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path p : (Iterable<Path>) all::iterator) {
                String name = src.getFileName() + (p.equals(src) ? "" : "/" + src.relativize(p));
                TarArchiveEntry e = Files.isSymbolicLink(p)
                        ? new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK)
                        : new TarArchiveEntry(p, Files.isDirectory(p, NOFOLLOW) ? name + "/" : name, NOFOLLOW);
                if (Files.isSymbolicLink(p)) {
                    e.setLinkName(Files.readSymbolicLink(p).toString());
                }
                e.setCreationTime(null); // a libarchive-only PAX field that GNU tar warns about
                tar.putArchiveEntry(e);
                if (Files.isRegularFile(p, NOFOLLOW)) {
                    Files.copy(p, tar);
                }
                tar.closeArchiveEntry();
            }
        }
    }

    /** A tar stream into a directory of the box ({@code cp - BOX:DIR}); the unpacker keeps it inside. */
    public static void inTar(InputStream tar, Path root, String boxDir) throws IOException {
        Path dir = RootfsPath.resolve(root, boxDir, true);
        if (!Files.isDirectory(dir)) {
            throw new BoxException("the destination of a tar stream must be a directory in the box: " + boxDir);
        }
        new LayerUnpacker(LayerUnpacker.Whiteouts.DELETE, s -> {}).unpack(tar, dir, null, "cp -");
    }

    private static void copyOne(Path from, Path to) throws IOException {
        if (Files.isSymbolicLink(from)) {
            Files.deleteIfExists(to);
            Files.createSymbolicLink(to, Files.readSymbolicLink(from));
        } else if (Files.isDirectory(from, NOFOLLOW)) {
            Files.createDirectories(to);
        } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                    LinkOption.NOFOLLOW_LINKS);
        }
    }
}
