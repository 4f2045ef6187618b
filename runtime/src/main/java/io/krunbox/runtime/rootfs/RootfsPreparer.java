package io.krunbox.runtime.rootfs;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.Image;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes {@code boxes/<id>/merged}: an overlay whose lowerdirs are the image's cached layer
 * directories (top layer first) with a per-box upper/ and work/, or, where overlayfs is
 * missing or {@code KRUNBOX_ROOTFS=copy}, a flat copy unpacked straight from the blobs.
 */
public final class RootfsPreparer {
    public enum Method { OVERLAY, COPY }

    private final LayerCache layers;
    private final Consumer<String> notes;

    public RootfsPreparer(LayerCache layers, Consumer<String> notes) {
        this.layers = layers;
        this.notes = notes;
    }

    /** Overlay when the kernel has it and the user did not ask for copies. */
    public static Method defaultMethod() {
        if ("copy".equals(Invocation.current().env("KRUNBOX_ROOTFS"))) {
            return Method.COPY;
        }
        try {
            return Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n") ? Method.OVERLAY : Method.COPY;
        } catch (IOException e) {
            return Method.COPY;
        }
    }

    public static Path merged(Path boxDir) {
        return boxDir.resolve("merged");
    }

    /** The lowerdir list, top layer first, as overlayfs wants it. */
    public List<Path> lowerDirs(Image image) {
        List<Path> lower = new ArrayList<>();
        for (Image.Layer l : image.layers()) {
            lower.add(0, layers.pathOf(l));
        }
        return lower;
    }

    public String describe(Method method, Image image, Path boxDir) {
        if (method == Method.COPY) {
            return "copy " + image.layers().size() + " layer(s) -> " + merged(boxDir);
        }
        return "overlay lower=" + String.join(":", lowerDirs(image).stream().map(Path::toString).toList())
                + " upper=" + boxDir.resolve("upper") + " -> " + merged(boxDir);
    }

    /** Builds merged/; returns the method that was used (overlay falls back to copy with a note). */
    public Method prepare(Method method, Image image, Path boxDir) throws IOException {
        Path merged = merged(boxDir);
        Files.createDirectories(merged);
        if (method == Method.OVERLAY) {
            Files.createDirectories(boxDir.resolve("upper"));
            Files.createDirectories(boxDir.resolve("work"));
            // names relative to the layer cache: mount options must fit in one page, and images can have many layers
            Path cacheDir = lowerDirs(image).isEmpty() ? boxDir : lowerDirs(image).get(0).getParent();
            String lower = String.join(":", lowerDirs(image).stream().map(p -> cacheDir.relativize(p).toString()).toList());
            HostCommand.Result r = HostCommand.tryRunIn(cacheDir, "mount", "-t", "overlay", "overlay", "-o",
                    "lowerdir=" + lower + ",upperdir=" + boxDir.resolve("upper") + ",workdir=" + boxDir.resolve("work"),
                    merged.toString());
            if (r.exitCode() == 0) {
                return Method.OVERLAY;
            }
            notes.accept("overlay mount failed (" + r.output().trim() + "); copying the image instead");
        }
        LayerCache.flatten(image, merged, notes);
        return Method.COPY;
    }

    /** The plan's words for a {@code --userns auto} box's root. */
    public String describeIdmapped(Image image, Path boxDir) {
        return "overlay of idmapped layers (0 -> the box's host range) lower=" + String.join(":",
                lowerDirs(image).stream().map(Path::toString).toList()) + " upper=" + boxDir.resolve("upper")
                + " -> " + merged(boxDir) + " (krunbox-overlay)";
    }

    /** Builds merged/ for a {@code --userns auto} box whose ids start at {@code base} on the host. */
    public void prepareIdmapped(Image image, Path boxDir, long base) throws IOException {
        Files.createDirectories(merged(boxDir));
        mountIdmapped(boxDir, lowerDirs(image), base);
    }

    /**
     * Mounts merged/ from the layers through idmapped mounts (the image's 0 is the box's host
     * {@code base}) and a plain upper directory that belongs to the box's root: krunbox-overlay
     * does it, and leaves only the overlay mounted.
     */
    static void mountIdmapped(Path boxDir, List<Path> lowerDirs, long base) throws IOException {
        Path upper = boxDir.resolve("upper"), work = boxDir.resolve("work");
        boolean fresh = !Files.isDirectory(upper);
        Files.createDirectories(upper);
        Files.createDirectories(work);
        if (fresh) {
            // the root directory of the box is the upper's: it belongs to the box's root, as the image's / does to 0
            Files.setAttribute(upper, "unix:uid", (int) base);
            Files.setAttribute(upper, "unix:gid", (int) base);
        }
        List<String> cmd = new ArrayList<>(List.of(overlayHelper(boxDir).toString(), Long.toString(base),
                Long.toString(io.krunbox.runtime.state.UsernsRanges.SIZE), upper.toString(), work.toString(),
                merged(boxDir).toString()));
        lowerDirs.forEach(l -> cmd.add(l.toString()));
        HostCommand.Result r = HostCommand.tryRun(cmd.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new BoxException("cannot mount the root of --userns auto box " + boxDir.getFileName() + ": "
                    + r.output().trim().replace("krunbox-overlay: ", "") + " (--userns host runs it without a user namespace)");
        }
    }

    /** krunbox-overlay, from krunbox's class path, in the home's bin/ (as krunbox-monitor is). */
    private static Path overlayHelper(Path boxDir) throws IOException {
        return io.krunbox.runtime.guest.HelperBinary.extract("krunbox-overlay", boxDir.getParent().getParent());
    }

    /**
     * Mounts the overlay of a box made earlier again (after create, or after it exited), on
     * its own upper/: what the box wrote is kept. A copied rootfs needs nothing.
     */
    public static void remount(Path boxDir, List<Path> lowerDirs) {
        remount(boxDir, lowerDirs, java.util.OptionalLong.empty());
    }

    /** As {@link #remount(Path, List)}; a {@code --userns auto} box's ({@code base} present) from idmapped layers. */
    public static void remount(Path boxDir, List<Path> lowerDirs, java.util.OptionalLong base) {
        Path merged = merged(boxDir);
        if (!Files.isDirectory(boxDir.resolve("upper")) || isMountPoint(merged)) {
            return;
        }
        for (Path l : lowerDirs) {
            if (!Files.isDirectory(l)) {
                throw new io.krunbox.runtime.base.BoxException("layer " + l.getFileName() + " of the box is no longer in the"
                        + " layer cache: the box cannot start again (remove it and run the image anew)");
            }
        }
        if (base.isPresent()) {
            try {
                mountIdmapped(boxDir, lowerDirs, base.getAsLong());
            } catch (IOException e) {
                throw new BoxException("cannot mount the rootfs of box " + boxDir.getFileName() + ": " + e.getMessage(), e);
            }
            return;
        }
        Path cacheDir = lowerDirs.get(0).getParent();
        String lower = String.join(":", lowerDirs.stream().map(p -> cacheDir.relativize(p).toString()).toList());
        HostCommand.Result r = HostCommand.tryRunIn(cacheDir, "mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + boxDir.resolve("upper") + ",workdir=" + boxDir.resolve("work"),
                merged.toString());
        if (r.exitCode() != 0) {
            throw new io.krunbox.runtime.base.BoxException("cannot mount the rootfs of box " + boxDir.getFileName() + ": "
                    + r.output().trim());
        }
    }

    /** Unmounts merged/ if it is mounted; lazily when something still holds it. */
    public static void release(Path boxDir) {
        Path merged = merged(boxDir);
        if (!isMountPoint(merged)) {
            return;
        }
        // another process (the box's supervisor, rm, compose down) may release it at the same moment:
        // a mount that is gone when an unmount fails was released, which is all that was asked
        if (HostCommand.tryRun("umount", merged.toString()).exitCode() != 0 && isMountPoint(merged)) {
            HostCommand.Result lazy = HostCommand.tryRun("umount", "-l", merged.toString());
            if (lazy.exitCode() != 0 && isMountPoint(merged)) {
                throw new BoxException("umount -l " + merged + " failed (exit " + lazy.exitCode()
                        + "): " + lazy.output().trim());
            }
        }
    }

    public static boolean isMountPoint(Path p) {
        try {
            String target = " " + p.toAbsolutePath().normalize() + " ";
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                if (line.contains(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
