package io.krunbox.runtime.volume;

import io.krunbox.oci.layer.LayerUnpacker;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.base.NoSuchVolumeException;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.volume.VolumeStore.VolumeRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The volumes of one home: {@code volumes/<name>/_data} directories and their records. */
public final class Volumes {
    private final KrunboxHome home;
    private final VolumeStore store;
    private final BoxStore boxes;

    public Volumes(KrunboxHome home, VolumeStore store, BoxStore boxes) {
        this.home = home;
        this.store = store;
        this.boxes = boxes;
    }

    public VolumeStore store() {
        return store;
    }

    public KrunboxHome home() {
        return home;
    }

    public Path path(String name) {
        return home.volume(name);
    }

    /** {@code volume create}: records it and makes its directory; an existing one is left as it is. */
    public VolumeRecord create(String name, List<String> labels) throws IOException {
        checkName(name);
        store.create(name, false, null, labels);
        Files.createDirectories(path(name));
        return get(name);
    }

    public static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new BoxException("invalid volume name \"" + name + "\": use letters, digits, '_', '.', '-'");
        }
    }

    public VolumeRecord get(String name) {
        return store.find(name).orElseThrow(() -> new NoSuchVolumeException(name));
    }

    /** Names of the boxes whose mounts use a volume (of any status: a stopped box still owns its data). */
    public List<String> users(String name) {
        List<String> out = new ArrayList<>();
        for (BoxStore.BoxRecord b : boxes.all()) {
            if (b.spec() == null) {
                continue;
            }
            for (MountSpec m : b.spec().mounts()) {
                if (m.type() == MountSpec.Type.VOLUME && name.equals(m.source())) {
                    out.add(b.name());
                }
            }
            if (store.find(name).map(v -> v.anonymous() && b.id().equals(v.boxId())).orElse(false)) {
                out.add(b.name());
            }
        }
        return out;
    }

    /** {@code volume rm}: refused while a box uses it (unless {@code force}). */
    public void remove(String name, boolean force) throws IOException {
        get(name);
        List<String> users = users(name);
        if (!users.isEmpty() && !force) {
            throw new BoxException("volume " + name + " is in use by box " + String.join(", ", users)
                    + ": remove the box first (krunbox rm), or use volume rm -f");
        }
        // never under a running box: it could swap a directory for a link while the tree is deleted
        List<String> running = boxes.all().stream().filter(b -> users.contains(b.name()) && (b.status() == BoxStatus.RUNNING))
                .map(BoxStore.BoxRecord::name).toList();
        if (!running.isEmpty()) {
            throw new BoxException("volume " + name + " is in use by running box " + String.join(", ", running)
                    + ": stop it first (krunbox stop), even with -f");
        }
        store.delete(name);
        Path dir = path(name).getParent();
        if (Files.exists(dir)) {
            LayerUnpacker.deleteTree(dir);
        }
    }

    /** Removes every volume no box uses; returns their names. */
    public List<String> prune() throws IOException {
        List<String> removed = new ArrayList<>();
        for (VolumeRecord v : store.all()) {
            if (users(v.name()).isEmpty()) {
                remove(v.name(), false);
                removed.add(v.name());
            }
        }
        return removed;
    }

    /** Removes the anonymous volumes made for a box ({@code rm -v}). */
    public void removeAnonymous(String boxId) throws IOException {
        for (VolumeRecord v : store.all()) {
            if (v.anonymous() && boxId.equals(v.boxId())) {
                remove(v.name(), true);
            }
        }
    }

    /**
     * Makes a named volume ready for a box: created on first use; the first time it is
     * mounted, the image's content at the mount point is copied in, modes and owners kept.
     */
    public Path prepare(String name, boolean anonymous, String boxId, Path imageContent) throws IOException {
        store.create(name, anonymous, anonymous ? boxId : null, List.of());
        Path data = path(name);
        Files.createDirectories(data);
        if (imageContent != null && Files.isDirectory(imageContent) && !Files.isSymbolicLink(imageContent)
                && isEmpty(data) && store.markPopulated(name)) {
            HostCommand.run("cp", "-a", "--", imageContent + "/.", data.toString());
        } else {
            store.markPopulated(name);
        }
        return data;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
