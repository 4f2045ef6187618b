package io.krunbox.oci.layer;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.UnexpectedBlobDigestException;
import io.krunbox.oci.UnsafeLayerEntryException;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one layer (gzip, zstd or plain tar, told apart by their magic bytes) into a
 * directory. No entry can write outside it: {@code ..} is rejected, absolute names are
 * taken relative to the directory, and nothing is ever written through a symlink.
 *
 * <p>Whiteouts are applied as the target needs them: {@link Whiteouts#OVERLAY} keeps them as
 * overlayfs markers in a layer directory that later serves as a lowerdir;
 * {@link Whiteouts#DELETE} removes what they hide from a flat root file system.
 */
public final class LayerUnpacker {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    public enum Whiteouts { OVERLAY, DELETE }

    private final Whiteouts whiteouts;
    private final Consumer<String> notes;

    public LayerUnpacker(Whiteouts whiteouts, Consumer<String> notes) {
        this.whiteouts = whiteouts;
        this.notes = notes;
    }

    /**
     * Unpacks {@code blob} into {@code target}. When {@code expected} is given, the compressed
     * stream is hashed as it is read and must match it.
     */
    public void unpack(InputStream blob, Path target, Descriptor expected, String where) throws IOException {
        // hashing costs as much CPU as inflating: only when there is a digest to check (a layer
        // unpacked while it downloads is checked by the blob store instead)
        MessageDigest sha = expected != null ? io.krunbox.oci.StreamSha256.forStream(expected.size()) : null;
        BufferedInputStream in = new BufferedInputStream(sha != null ? new DigestInputStream(blob, sha) : blob, 1 << 16);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(decompress(in), 1 << 16)) {
            new Run(target).all(tar);
            // hash what the tar reader left unread (end-of-archive padding)
            in.transferTo(OutputStream.nullOutputStream());
        }
        if (sha != null) {
            String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(expected.digest().toString())) {
                throw new UnexpectedBlobDigestException(expected.digest(), actual, where);
            }
        }
    }

    private static InputStream decompress(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(in);
        }
        return in;
    }

    /** One unpacking: remembers what this layer wrote, and directory times to set last. */
    private final class Run {
        private final Path root;
        private final Set<String> written = new HashSet<>();
        // directories this run made or checked: real directories, not symlinks (saves an lstat per component)
        private final Set<String> checkedDirs = new HashSet<>();
        private final boolean fresh;
        private final List<TarArchiveEntry> dirEntries = new ArrayList<>();
        private final byte[] buffer = new byte[1 << 18];

        Run(Path root) throws IOException {
            this.root = root;
            this.fresh = !Files.exists(root) || isEmptyDir(root);
        }

        void all(TarArchiveInputStream tar) throws IOException {
            Files.createDirectories(root);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                one(tar, e);
            }
            // directories last: creating their children changed their times (and a 0555 dir must stay writable until now)
            for (int i = dirEntries.size() - 1; i >= 0; i--) {
                TarArchiveEntry d = dirEntries.get(i);
                Path p = resolve(relative(d.getName()), d.getName());
                if (Files.isDirectory(p, NOFOLLOW)) {
                    applyMetadata(p, d);
                }
            }
        }

        private void one(TarArchiveInputStream tar, TarArchiveEntry e) throws IOException {
            String rel = relative(e.getName());
            if (rel.isEmpty()) {
                if (e.isDirectory()) {
                    dirEntries.add(e);
                }
                return;
            }
            String base = rel.substring(rel.lastIndexOf('/') + 1);
            String parentRel = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
            if (base.equals(OPAQUE)) {
                opaque(parentRel, e.getName());
                return;
            }
            if (base.startsWith(WHITEOUT)) {
                String gone = base.substring(WHITEOUT.length());
                if (gone.isEmpty() || gone.equals(".") || gone.equals("..")) {
                    throw new io.krunbox.oci.UnsafeLayerEntryException(e.getName(), "a whiteout must name one entry of its"
                            + " directory, not \"" + gone + "\"");
                }
                whiteout(parentRel.isEmpty() ? base.substring(WHITEOUT.length())
                        : parentRel + "/" + base.substring(WHITEOUT.length()), e.getName());
                return;
            }
            Path p = resolve(rel, e.getName());
            ensureParents(rel, e.getName());
            if (e.isDirectory()) {
                if (!checkedDirs.contains(rel)) {
                    if (Files.exists(p, NOFOLLOW) && !Files.isDirectory(p, NOFOLLOW)) {
                        Files.delete(p);
                    }
                    Files.createDirectories(p);
                    checkedDirs.add(rel);
                }
                dirEntries.add(e);
            } else {
                forget(rel);
                // into a fresh directory only this layer's own earlier entries can be in the way
                if (!fresh || written.contains(rel)) {
                    removeExisting(p);
                }
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    String targetRel = relative(e.getLinkName());
                    Path existing = resolve(targetRel, e.getName());
                    checkNoSymlinkParents(targetRel, e.getName());
                    if (!Files.exists(existing, NOFOLLOW)) {
                        throw new UnsafeLayerEntryException(e.getName(), "hard link to \"" + e.getLinkName()
                                + "\", which this layer does not contain");
                    }
                    Files.createLink(p, existing);
                } else if (e.isFile()) {
                    copy(tar, p);
                } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    special(p, e);
                    return;
                } else {
                    notes.accept("skipped " + e.getName() + ": unsupported tar entry type");
                    return;
                }
                if (!e.isLink()) {
                    applyMetadata(p, e);
                }
            }
            written.add(rel);
        }

        /** The entry's bytes into a new file, in writes of up to 256 KiB (transferTo writes 8 KiB at a time). */
        private void copy(InputStream tar, Path p) throws IOException {
            try (OutputStream out = Files.newOutputStream(p)) {
                int n;
                while ((n = tar.read(buffer, 0, buffer.length)) > 0) {
                    out.write(buffer, 0, n);
                }
            }
        }

        /** A path that is no longer a directory we checked: it, and everything cached below it. */
        private void forget(String rel) {
            if (checkedDirs.remove(rel)) {
                checkedDirs.removeIf(d -> d.startsWith(rel + "/"));
            }
        }

        private void whiteout(String rel, String entry) throws IOException {
            forget(rel);
            Path p = resolve(rel, entry);
            ensureParents(rel, entry);
            removeExisting(p);
            if (whiteouts == Whiteouts.OVERLAY) {
                run(entry, "mknod", p.toString(), "c", "0", "0");
            }
        }

        private void opaque(String dirRel, String entry) throws IOException {
            Path dir = resolve(dirRel, entry);
            if (!dirRel.isEmpty()) {
                ensureParents(dirRel + "/x", entry);
            }
            Files.createDirectories(dir);
            if (whiteouts == Whiteouts.OVERLAY) {
                run(entry, "setfattr", "-n", "trusted.overlay.opaque", "-v", "y", dir.toString());
                return;
            }
            try (var children = Files.list(dir)) {
                for (Path c : (Iterable<Path>) children::iterator) {
                    String childRel = dirRel.isEmpty() ? c.getFileName().toString() : dirRel + "/" + c.getFileName();
                    if (!written.contains(childRel)) {
                        forget(childRel);
                        deleteTree(c);
                    }
                }
            }
        }

        private void special(Path p, TarArchiveEntry e) throws IOException {
            String type = e.isFIFO() ? "p" : e.isCharacterDevice() ? "c" : "b";
            List<String> cmd = new ArrayList<>(List.of("mknod", "-m", Integer.toOctalString(e.getMode() & 07777),
                    p.toString(), type));
            if (!e.isFIFO()) {
                cmd.add(Integer.toString(e.getDevMajor()));
                cmd.add(Integer.toString(e.getDevMinor()));
            }
            try {
                run(e.getName(), cmd.toArray(String[]::new));
                written.add(relative(e.getName()));
            } catch (IOException failed) {
                notes.accept("skipped device " + e.getName() + ": " + failed.getMessage());
            }
        }

        private void ensureParents(String rel, String entry) throws IOException {
            int slash = rel.lastIndexOf('/');
            String parentRel = slash < 0 ? "" : rel.substring(0, slash);
            if (parentRel.isEmpty() || checkedDirs.contains(parentRel)) {
                return;
            }
            checkNoSymlinkParents(rel, entry);
            Path parent = root.resolve(parentRel);
            if (!Files.isDirectory(parent, NOFOLLOW)) {
                if (Files.exists(parent, NOFOLLOW)) {
                    Files.delete(parent);
                }
                Files.createDirectories(parent);
            }
            for (String p = parentRel; !p.isEmpty(); p = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "") {
                checkedDirs.add(p);
            }
        }

        /** A symlinked parent would let the entry land anywhere: refuse it. */
        private void checkNoSymlinkParents(String rel, String entry) {
            Path p = root;
            String[] parts = rel.split("/");
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                p = p.resolve(parts[i]);
                prefix.append(i == 0 ? "" : "/").append(parts[i]);
                if (checkedDirs.contains(prefix.toString())) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    throw new UnsafeLayerEntryException(entry, "its parent \"" + root.relativize(p)
                            + "\" is a symbolic link; writing through it could leave the layer");
                }
            }
        }

        private Path resolve(String rel, String entry) {
            Path p = root.resolve(rel).normalize();
            if (!p.startsWith(root)) {
                throw new UnsafeLayerEntryException(entry, "it points outside the layer");
            }
            return p;
        }

        private void applyMetadata(Path p, TarArchiveEntry e) throws IOException {
            boolean link = e.isSymbolicLink();
            int uid = (int) e.getLongUserId();
            int gid = (int) e.getLongGroupId();
            // what we create in a fresh tree is already ours, with the umask's mode: skip what would change nothing
            boolean created = fresh && !e.isDirectory();
            if (!created || uid != Defaults.UID || gid != Defaults.GID) {
                Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
                Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
            }
            if (!link) {
                int mode = e.getMode() & 07777;
                if (!created || !e.isFile() || mode != Defaults.FILE_MODE) {
                    Files.setAttribute(p, "unix:mode", mode);
                }
                Files.setLastModifiedTime(p, FileTime.from(e.getModTime().toInstant()));
            }
        }
    }

    /** Owner and mode of a file this process creates: read once from a probe file. */
    private static final class Defaults {
        static final int UID;
        static final int GID;
        static final int FILE_MODE;

        static {
            int uid = -1, gid = -1, mode = -1;
            try {
                Path probe = Files.createTempFile("krunbox-probe", "");
                try {
                    Files.delete(probe);
                    Files.newOutputStream(probe).close(); // created as entries are, so the umask applies
                    uid = (int) Files.getAttribute(probe, "unix:uid");
                    gid = (int) Files.getAttribute(probe, "unix:gid");
                    mode = (int) Files.getAttribute(probe, "unix:mode") & 07777;
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException e) {
                // unknown: every entry gets its owner and mode set explicitly
            }
            UID = uid;
            GID = gid;
            FILE_MODE = mode;
        }
    }

    /** Entry names are relative to the layer: leading "/" and "./" are dropped, ".." is refused. */
    static String relative(String name) {
        String n = name.replace('\\', '/');
        List<String> parts = new ArrayList<>();
        for (String part : n.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new UnsafeLayerEntryException(name, "\"..\" would climb out of the layer");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p, NOFOLLOW)) {
            return false;
        }
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    private static void removeExisting(Path p) throws IOException {
        if (Files.isDirectory(p, NOFOLLOW)) {
            deleteTree(p);
        } else {
            Files.deleteIfExists(p);
        }
    }

    /** Deletes a tree without following symlinks. */
    public static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, NOFOLLOW)) {
            try (var children = Files.list(p)) {
                for (Path c : (Iterable<Path>) children::iterator) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    private static void run(String entry, String... cmd) throws IOException {
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes()).trim();
        try {
            if (proc.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed for " + entry + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking " + entry, e);
        }
    }
}
