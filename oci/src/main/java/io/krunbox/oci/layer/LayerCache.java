package io.krunbox.oci.layer;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.UnexpectedBlobDigestException;
import io.krunbox.oci.UnsafeLayerEntryException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * Unpacked layers under {@code layers/<diff-id hex>/}, shared read-only by every box.
 * A layer is unpacked into a temporary directory and renamed into place only once it is
 * complete and its blob verified, so a directory that exists is always whole.
 */
public final class LayerCache {
    private final Path dir;
    private final Consumer<String> notes;

    public LayerCache(Path dir, Consumer<String> notes) {
        this.dir = dir;
        this.notes = notes;
    }

    public Path dir() {
        return dir;
    }

    public Path pathOf(Image.Layer layer) {
        return dir.resolve(layer.diffId().hex());
    }

    public boolean contains(Image.Layer layer) {
        return Files.isDirectory(pathOf(layer));
    }

    /** The layer's directory, unpacking it first when it is not cached yet. */
    public Path ensure(Image.Layer layer, String imageName) throws IOException {
        Path done = pathOf(layer);
        if (Files.isDirectory(done)) {
            return done;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory(dir, ".unpack-");
        try {
            try (InputStream in = Files.newInputStream(layer.path())) {
                new LayerUnpacker(LayerUnpacker.Whiteouts.OVERLAY, notes).unpack(in, tmp, layer.blob(), imageName);
            }
            moveIntoPlace(tmp, done);
            return done;
        } finally {
            if (Files.exists(tmp)) {
                LayerUnpacker.deleteTree(tmp);
            }
        }
    }

    /**
     * Unpacks a layer from a stream not yet verified into a staging directory; the caller
     * {@link #install}s it once the blob's digest is known to be right, or deletes it. The
     * stream is read to its end even when unpacking fails, so its writer never blocks.
     */
    public Path stage(InputStream unverified, Image.Layer layer, String imageName) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory(dir, ".unpack-");
        try {
            new LayerUnpacker(LayerUnpacker.Whiteouts.OVERLAY, notes).unpack(unverified, tmp, null, imageName);
            return tmp;
        } catch (IOException | RuntimeException e) {
            LayerUnpacker.deleteTree(tmp);
            throw e;
        } finally {
            unverified.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Moves a staged directory into place (or drops it when another process got there first). */
    public Path install(Path staged, Image.Layer layer) throws IOException {
        Path done = pathOf(layer);
        moveIntoPlace(staged, done);
        if (Files.exists(staged)) {
            LayerUnpacker.deleteTree(staged);
        }
        return done;
    }

    /**
     * Renames a finished unpacking into place. When another thread or process got there
     * first (rename fails with EEXIST or ENOTEMPTY, which Java reports as a plain
     * FileSystemException), theirs is whole and ours is left for the caller to drop.
     */
    private static void moveIntoPlace(Path from, Path done) throws IOException {
        try {
            Files.move(from, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException raced) {
            if (!Files.isDirectory(done)) {
                throw raced;
            }
        }
    }

    /** Unpacks every layer of an image, bottom first, into one flat directory (no overlayfs). */
    public static void flatten(Image image, Path target, Consumer<String> notes) throws IOException {
        LayerUnpacker unpacker = new LayerUnpacker(LayerUnpacker.Whiteouts.DELETE, notes);
        for (Image.Layer layer : image.layers()) {
            try (InputStream in = Files.newInputStream(layer.path())) {
                unpacker.unpack(in, target, layer.blob(), image.source());
            }
        }
    }
}
