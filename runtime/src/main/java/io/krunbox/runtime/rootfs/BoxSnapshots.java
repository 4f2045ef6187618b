package io.krunbox.runtime.rootfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Snapshots of boxes, under {@code snapshots/NAME/}: the box's changes as they are (an overlay
 * box's upper directory, whiteouts and opaque marks included; a copied root whole), with
 * {@code --volumes} its named volumes' contents, and what the box was made of ({@code meta.json}:
 * its image, layers and spec). Restoring makes a new box of the same image and spec whose
 * root starts from the snapshot, not from a fresh copy of the image. Copies are made with
 * {@code cp -a} (links copied as links, never followed) into a temporary directory renamed when
 * complete, so a failed snapshot leaves nothing.
 */
public final class BoxSnapshots {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KrunboxHome home;

    /** One snapshot as listed. */
    public record Snapshot(String name, String box, String image, String created, long bytes, List<String> volumes) {}

    public BoxSnapshots(KrunboxHome home) {
        this.home = home;
    }

    Path dir() {
        return home.root().resolve("snapshots");
    }

    static void checkName(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new BoxException("\"" + name + "\" is not a snapshot name: use letters, digits, '_', '.' and '-'");
        }
    }

    /** Takes a snapshot of {@code box} (whose root {@code root} is mounted for the call). */
    public Snapshot create(BoxRecord box, Path root, String name, boolean withVolumes, Map<String, Path> volumes)
            throws IOException {
        checkName(name);
        Path target = dir().resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BoxException("snapshot " + name + " exists already: remove it first (snapshot rm " + name + ")");
        }
        Files.createDirectories(dir());
        Path tmp = Files.createTempDirectory(dir(), "." + name + "-");
        try {
            Path upper = home.box(box.id()).resolve("upper");
            boolean overlay = Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS);
            copy(overlay ? upper : root, tmp.resolve(overlay ? "upper" : "rootfs"));
            List<String> saved = new ArrayList<>();
            if (withVolumes) {
                for (Map.Entry<String, Path> v : volumes.entrySet()) {
                    copy(v.getValue(), tmp.resolve("volumes").resolve(v.getKey()));
                    saved.add(v.getKey());
                }
            }
            ObjectNode meta = JSON.createObjectNode().put("name", name).put("box", box.name()).put("boxId", box.id())
                    .put("image", box.image()).put("imageId", box.imageId()).put("isolation", box.isolation())
                    .put("created", Instant.now().toString()).put("rootfs", overlay ? "upper" : "rootfs");
            box.layers().forEach(meta.putArray("layers")::add);
            saved.forEach(meta.putArray("volumes")::add);
            meta.put("spec", box.specJson());
            Files.writeString(tmp.resolve("meta.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return find(name);
        } catch (IOException | RuntimeException e) {
            io.krunbox.oci.layer.LayerUnpacker.deleteTree(tmp);
            throw e;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        HostCommand.Result r = HostCommand.tryRun("cp", "-a", "--no-dereference", from.toString() + "/.", to.toString() + "/");
        if (r.exitCode() != 0) {
            Files.createDirectories(to);
            r = HostCommand.tryRun("cp", "-a", "--no-dereference", from.toString() + "/.", to.toString() + "/");
        }
        if (r.exitCode() != 0) {
            throw new BoxException("cannot copy " + from + " into the snapshot: " + r.output().trim());
        }
    }

    public JsonNode meta(String name) throws IOException {
        checkName(name);
        Path m = dir().resolve(name).resolve("meta.json");
        if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
            throw new BoxException("no snapshot " + name + ": snapshot ls lists them");
        }
        return JSON.readTree(Files.readString(m));
    }

    public Snapshot find(String name) throws IOException {
        JsonNode m = meta(name);
        List<String> vols = new ArrayList<>();
        m.path("volumes").forEach(v -> vols.add(v.asText()));
        return new Snapshot(name, m.path("box").asText(), m.path("image").asText(), m.path("created").asText(),
                size(dir().resolve(name)), vols);
    }

    public List<Snapshot> list() throws IOException {
        List<Snapshot> out = new ArrayList<>();
        if (!Files.isDirectory(dir())) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir())) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && Files.isRegularFile(p.resolve("meta.json"))) {
                    out.add(find(n));
                }
            }
        }
        return out;
    }

    public void remove(String name) throws IOException {
        meta(name);
        io.krunbox.oci.layer.LayerUnpacker.deleteTree(dir().resolve(name));
    }

    /**
     * Fills a freshly created box (its root not mounted) from the snapshot: its upper directory,
     * or its copied root, replaced by the snapshot's; with {@code volumes}, the named volumes'
     * contents replaced too.
     */
    public void restoreInto(String name, Path boxDir, Map<String, Path> volumes) throws IOException {
        JsonNode m = meta(name);
        Path snap = dir().resolve(name);
        String kind = m.path("rootfs").asText();
        Path target = kind.equals("upper") ? boxDir.resolve("upper") : RootfsPreparer.merged(boxDir);
        if (kind.equals("upper") && !Files.isDirectory(boxDir.resolve("upper"))) {
            throw new BoxException("snapshot " + name + " holds overlay changes, but the new box's root is a copy"
                    + " (KRUNBOX_ROOTFS=copy?): restore it where overlayfs is used");
        }
        io.krunbox.oci.layer.LayerUnpacker.deleteTree(target);
        copy(snap.resolve(kind), target);
        for (Map.Entry<String, Path> v : volumes.entrySet()) {
            Path saved = snap.resolve("volumes").resolve(v.getKey());
            if (Files.isDirectory(saved)) {
                // copied beside the volume, then swapped in: nothing is written through what the volume holds
                Path fresh = v.getValue().resolveSibling("." + v.getValue().getFileName() + ".restore");
                Path old = v.getValue().resolveSibling("." + v.getValue().getFileName() + ".old");
                io.krunbox.oci.layer.LayerUnpacker.deleteTree(fresh);
                io.krunbox.oci.layer.LayerUnpacker.deleteTree(old);
                copy(saved, fresh);
                Files.move(v.getValue(), old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.move(fresh, v.getValue(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                io.krunbox.oci.layer.LayerUnpacker.deleteTree(old);
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
