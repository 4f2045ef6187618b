package io.krunbox.runtime.image;

import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.layer.LayerUnpacker;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.state.BoxStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code image prune}: forgets dangling images (untagged, or with {@code all} every image
 * no box was made from), then deletes the blobs and layer directories nothing needs any more.
 * A layer an existing box stands on is never removed.
 */
public final class ImagePruner {
    private final Images images;
    private final BoxStore boxes;

    public ImagePruner(Images images, BoxStore boxes) {
        this.images = images;
        this.boxes = boxes;
    }

    public record Result(List<Digest> images, int blobs, int layers, long bytes) {}

    public Result prune(boolean all) throws IOException {
        Set<String> boxImages = new HashSet<>();
        boxes.all().forEach(b -> boxImages.add(b.imageId()));
        List<Digest> removed = new ArrayList<>();
        for (ImageStore.Record r : images.store().list()) {
            boolean used = boxImages.contains(r.manifestDigest().toString());
            if (!used && (all || r.tags().isEmpty())) {
                images.store().delete(r.id());
                removed.add(r.id());
            }
        }
        Set<Digest> keepBlobs = images.store().referencedBlobs();
        Set<String> keepLayers = new HashSet<>(boxes.layersInUse());
        for (ImageStore.Record r : images.store().list()) {
            Image image = images.image(r, r.id().toString());
            image.layers().forEach(l -> keepLayers.add(l.diffId().toString()));
        }
        long bytes = 0;
        int blobs = 0;
        for (Digest d : images.blobs().all()) {
            if (!keepBlobs.contains(d)) {
                bytes += Files.size(images.blobs().path(d));
                images.blobs().delete(d);
                blobs++;
            }
        }
        int layers = 0;
        Path layerDir = images.layers().dir();
        if (Files.isDirectory(layerDir)) {
            try (Stream<Path> dirs = Files.list(layerDir)) {
                for (Path p : (Iterable<Path>) dirs::iterator) {
                    String name = p.getFileName().toString();
                    // dot-names are unpackings in progress (another process's), never ours to take
                    if (!name.startsWith(".") && !keepLayers.contains("sha256:" + name)) {
                        LayerUnpacker.deleteTree(p);
                        layers++;
                    }
                }
            }
        }
        return new Result(removed, blobs, layers, bytes);
    }
}
