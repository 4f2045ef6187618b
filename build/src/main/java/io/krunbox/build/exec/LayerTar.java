package io.krunbox.build.exec;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.ImageJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One layer being written: a tar (PAX for long names and big numbers) compressed with gzip into
 * a file, its diff id (the digest of the tar) and blob digest computed as it is written. Entries
 * come from an overlay's upper directory ({@link #addUpper}: its whiteouts, character devices
 * 0/0, become {@code .wh.NAME} and its opaque directories {@code .wh..wh..opq}) or one by one
 * ({@link #add}). Order is the caller's (sorted), times are the files' own, clamped to
 * {@code SOURCE_DATE_EPOCH} when set, so the same tree gives the same layer. Links are stored
 * as links and never followed.
 */
public final class LayerTar implements AutoCloseable {
    private final Path file;
    private final MessageDigest diff;
    private final MessageDigest blob;
    private final TarArchiveOutputStream tar;
    private final Instant clamp;
    private final Map<Object, String> hardlinks = new HashMap<>();
    private int entries;

    /** What a layer written to a file is: its blob (gzip) descriptor, diff id, and the file. */
    public record Written(Descriptor blob, Digest diffId, Path file, int entries) {}

    /** Explicit owner and mode for an entry (COPY --chown, --chmod); null fields keep the file's own. */
    public record Attrs(Integer uid, Integer gid, Integer mode) {
        public static final Attrs KEEP = new Attrs(null, null, null);
    }

    public LayerTar(Path file, Instant clamp) throws IOException {
        this.file = file;
        this.clamp = clamp;
        this.diff = sha256();
        this.blob = sha256();
        OutputStream raw = new DigestOutputStream(Files.newOutputStream(file), blob);
        OutputStream gz = new GZIPOutputStream(raw, 1 << 16);
        this.tar = new TarArchiveOutputStream(new DigestOutputStream(gz, diff), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** {@code SOURCE_DATE_EPOCH} from the build's environment, if set. */
    public static Instant clampFrom(String sourceDateEpoch) {
        if (sourceDateEpoch == null || sourceDateEpoch.isBlank()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SOURCE_DATE_EPOCH=\"" + sourceDateEpoch + "\" is not a number of seconds");
        }
    }

    /**
     * Everything in an overlay upper directory, as a layer: {@code opaque} are the directories
     * (relative, forward slashes) that carry overlayfs's opaque mark; what {@code skip} names
     * (and what lies under it) is left out.
     */
    public void addUpper(Path upper, Set<String> opaque, Set<String> skip) throws IOException {
        try (Stream<Path> all = Files.walk(upper)) {
            for (Path p : all.sorted().toList()) {
                if (p.equals(upper)) {
                    continue;
                }
                String rel = upper.relativize(p).toString();
                if (skip.stream().anyMatch(k -> rel.equals(k) || rel.startsWith(k + "/"))) {
                    continue;
                }
                if (io.krunbox.runtime.rootfs.BoxChanges.isWhiteout(p)) {
                    addWhiteout(rel, mtime(p)); // overlayfs's whiteout: the file is deleted
                    continue;
                }
                add(rel, p, Attrs.KEEP);
                if (opaque.contains(rel) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    addBytes(rel + "/.wh..wh..opq", new byte[0], 0, 0, 0, mtime(p));
                }
            }
        }
    }

    /** One entry, {@code name} relative to the root, from {@code source} (a file, directory, link, device or fifo). */
    public void add(String name, Path source, Attrs attrs) throws IOException {
        Map<String, Object> a = Files.readAttributes(source, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int type = mode & 0170000;
        int perm = attrs.mode() != null ? attrs.mode() : mode & 07777;
        TarArchiveEntry e;
        if (type == 0120000) {
            e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(source).toString());
        } else if (type == 0040000) {
            e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
        } else if (type == 0100000) {
            Object key = List.of(a.get("dev"), a.get("ino"));
            String first = ((Integer) a.get("nlink")) > 1 ? hardlinks.putIfAbsent(key, name) : null;
            if (first != null) {
                e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                e.setLinkName(first);
            } else {
                e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                e.setSize((Long) a.get("size"));
            }
        } else if (type == 0020000 || type == 0060000) {
            e = new TarArchiveEntry(name, type == 0020000 ? TarConstants.LF_CHR : TarConstants.LF_BLK);
            long rdev = ((Number) a.get("rdev")).longValue();
            e.setDevMajor((int) ((rdev >> 8) & 0xfff));
            e.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & 0xfff00)));
        } else if (type == 0010000) {
            e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
        } else {
            return; // a socket has no place in a layer
        }
        e.setMode(perm);
        e.setUserId(attrs.uid() != null ? attrs.uid() : (Integer) a.get("uid"));
        e.setGroupId(attrs.gid() != null ? attrs.gid() : (Integer) a.get("gid"));
        Instant mtime = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant();
        e.setModTime(clamped(mtime));
        tar.putArchiveEntry(e);
        if (type == 0100000 && e.getLinkFlag() == TarConstants.LF_NORMAL) {
            try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
                long copied = in.transferTo(tar);
                if (copied != e.getSize()) {
                    throw new IOException(source + " changed while it was being copied");
                }
            }
        }
        tar.closeArchiveEntry();
        entries++;
    }

    /** A directory entry with the given attributes and no source (a parent the layer needs). */
    public void addDirectory(String name, int uid, int gid, int mode, Instant mtime) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(clamped(mtime));
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        entries++;
    }

    /** A regular file with the given bytes (a COPY heredoc). */
    public void addBytes(String name, byte[] content, int uid, int gid, int mode, Instant mtime) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setSize(content.length);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(clamped(mtime));
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
        entries++;
    }

    /** The OCI whiteout of {@code rel} ({@code dir/.wh.name}): a lower layer's entry deleted. */
    public void addWhiteout(String rel, Instant mtime) throws IOException {
        int slash = rel.lastIndexOf('/');
        addBytes((slash < 0 ? "" : rel.substring(0, slash + 1)) + ".wh." + rel.substring(slash + 1), new byte[0], 0, 0, 0, mtime);
    }

    private static Instant mtime(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
    }

    /** A time as the layer stores it: clamped to SOURCE_DATE_EPOCH when that is set. */
    private java.util.Date clamped(Instant t) {
        return java.util.Date.from(clamp != null && t.isAfter(clamp) ? clamp : t);
    }

    /** Ends the tar and the gzip stream; the layer is then complete in its file. */
    public Written finish() throws IOException {
        tar.finish();
        tar.close();
        Digest diffId = new Digest("sha256", HexFormat.of().formatHex(diff.digest()));
        Digest blobDigest = new Digest("sha256", HexFormat.of().formatHex(blob.digest()));
        return new Written(new Descriptor(ImageJson.OCI_LAYER_GZIP, blobDigest, Files.size(file), Map.of()), diffId, file,
                entries);
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
