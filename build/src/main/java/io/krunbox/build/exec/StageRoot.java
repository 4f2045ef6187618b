package io.krunbox.build.exec;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.hostfs.RootfsPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * A stage's file system as its layers make it, read-only, for the host to look into (does the
 * WORKDIR exist, who is the USER, what COPY --from takes): an overlay of the cached layer
 * directories with no upper directory, mounted under the build's scratch directory. Paths
 * inside are resolved as the box would resolve them ({@link RootfsPath}): never out of it.
 */
final class StageRoot implements AutoCloseable {
    private final Path dir;
    private final boolean mounted;

    private StageRoot(Path dir, boolean mounted) {
        this.dir = dir;
        this.mounted = mounted;
    }

    /** A stage root mounted when first needed (a cached step needs none). */
    static final class Lazy implements AutoCloseable {
        private final List<Path> layerDirs;
        private final Path scratch;
        private StageRoot root;

        Lazy(List<Path> layerDirs, Path scratch) {
            this.layerDirs = layerDirs;
            this.scratch = scratch;
        }

        StageRoot get() throws IOException {
            if (root == null) {
                root = open(layerDirs, scratch);
            }
            return root;
        }

        @Override
        public void close() throws IOException {
            if (root != null) {
                root.close();
            }
        }
    }

    /** Whether {@code abs} is a directory in the layers (top first), looked up without a mount. */
    static boolean isDirectoryIn(List<Path> layerDirs, String abs) throws IOException {
        if (abs.replaceFirst("^/+", "").isEmpty()) {
            return true;
        }
        return io.krunbox.runtime.rootfs.BoxChanges.inLayers(layerDirs, abs)
                .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).isPresent();
    }

    /** {@code layerDirs}: top layer first. */
    static StageRoot open(List<Path> layerDirs, Path scratch) throws IOException {
        Path dir = Files.createTempDirectory(scratch, "stage-");
        if (layerDirs.isEmpty()) {
            return new StageRoot(dir, false);
        }
        // overlayfs wants two lower directories when there is no upper one: an empty one under all
        Path empty = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".empty"));
        StringBuilder lower = new StringBuilder();
        for (Path p : layerDirs) {
            lower.append(lower.length() == 0 ? "" : ":").append(p);
        }
        lower.append(':').append(empty);
        HostCommand.Result r = HostCommand.tryRun("mount", "-t", "overlay", "overlay", "-o", "ro,nodev,nosuid,lowerdir=" + lower, dir.toString());
        if (r.exitCode() != 0) {
            Files.deleteIfExists(dir);
            Files.deleteIfExists(empty);
            throw new IOException("cannot mount the stage's layers: " + r.output().trim());
        }
        return new StageRoot(dir, true);
    }

    Path dir() {
        return dir;
    }

    /** Where {@code path} of the stage lies on the host, links followed inside the stage only. */
    Path resolve(String path, boolean followLast) {
        return RootfsPath.resolve(dir, path, followLast);
    }

    boolean isDirectory(String path) {
        return Files.isDirectory(resolve(path, true), LinkOption.NOFOLLOW_LINKS);
    }

    boolean exists(String path) {
        return Files.exists(resolve(path, false), LinkOption.NOFOLLOW_LINKS);
    }

    /** A numeric id for a user or group name, from the stage's /etc/passwd or /etc/group; null if unknown. */
    Integer id(String name, boolean group) throws IOException {
        if (name.matches("[0-9]{1,9}")) {
            return Integer.parseInt(name);
        }
        return field(group ? "/etc/group" : "/etc/passwd", f -> f[0].equals(name), 2);
    }

    /** The primary group of a user (by name or uid), from /etc/passwd. */
    Integer primaryGroup(String user) throws IOException {
        return field("/etc/passwd", f -> f[0].equals(user) || f[2].equals(user), 3);
    }

    /** Field {@code n} (a number) of the first line of {@code file} that {@code which} picks; null without one. */
    private Integer field(String file, java.util.function.Predicate<String[]> which, int n) throws IOException {
        Path f = resolve(file, true);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        byte[] bytes = io.krunbox.runtime.hostfs.InRoot.readBounded(f, 4 << 20).orElse(new byte[0]);
        for (String line : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.split(":");
            if (fields.length > 3 && which.test(fields) && fields[n].matches("[0-9]{1,9}")) {
                return Integer.parseInt(fields[n]);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        if (mounted) {
            HostCommand.tryRun("umount", dir.toString());
            Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".empty"));
        }
        Files.deleteIfExists(dir);
    }
}
