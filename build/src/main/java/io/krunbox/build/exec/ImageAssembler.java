package io.krunbox.build.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageConfig;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Builds go into the image store as pulled images do: layer blobs (verified by digest on the
 * way in) unpacked into the layer cache, an OCI config and manifest, and a record, tagged or not.
 */
final class ImageAssembler {
    /** A layer of an image being built. */
    record Layer(Descriptor blob, Digest diffId, String created) {
        Layer(Descriptor blob, Digest diffId) {
            this(blob, diffId, null);
        }
    }

    private final Images images;

    ImageAssembler(Images images) {
        this.images = images;
    }

    /** A base image's layer, copied into the store when it came from elsewhere (the demo layout, an oci: path). */
    synchronized Layer adopt(Image.Layer l, String imageName) throws IOException {
        if (!images.blobs().has(l.blob().digest())) {
            try (InputStream in = Files.newInputStream(l.path())) {
                images.blobs().put(l.blob(), in, imageName);
            }
        }
        images.layers().ensure(new Image.Layer(l.blob(), l.diffId(), images.blobs().path(l.blob().digest())), imageName);
        return new Layer(l.blob(), l.diffId());
    }

    /** A layer the build wrote: into the store and the layer cache; the temporary file goes. */
    synchronized Layer add(LayerTar.Written w, String what) throws IOException {
        try (InputStream in = Files.newInputStream(w.file())) {
            images.blobs().put(w.blob(), in, what);
        } finally {
            Files.deleteIfExists(w.file());
        }
        images.layers().ensure(new Image.Layer(w.blob(), w.diffId(), images.blobs().path(w.blob().digest())), what);
        return new Layer(w.blob(), w.diffId());
    }

    /** Whether a cached layer is still whole in the store. */
    boolean holds(Layer l) {
        return images.blobs().has(l.blob().digest())
                && images.layers().contains(new Image.Layer(l.blob(), l.diffId(), images.blobs().path(l.blob().digest())));
    }

    /** The image of {@code config} (the whole config document) and {@code layers}, recorded, with its tags. */
    synchronized ImageStore.Record write(ObjectNode config, List<Layer> layers, List<ImageReference> tags) throws IOException {
        ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        layers.forEach(l -> diffIds.add(l.diffId().toString()));
        byte[] cb = ImageJson.JSON.writeValueAsBytes(config);
        Descriptor configDesc = new Descriptor(ImageJson.OCI_CONFIG, Digest.of(cb), cb.length, Map.of());
        images.blobs().put(configDesc, cb, "build");
        ObjectNode manifest = ImageJson.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", ImageJson.OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", ImageJson.OCI_CONFIG).put("digest", configDesc.digest().toString())
                .put("size", cb.length);
        ArrayNode ls = manifest.putArray("layers");
        long size = cb.length;
        for (Layer l : layers) {
            ls.addObject().put("mediaType", l.blob().mediaType()).put("digest", l.blob().digest().toString())
                    .put("size", l.blob().size());
            size += l.blob().size();
        }
        byte[] mb = ImageJson.JSON.writeValueAsBytes(manifest);
        Descriptor md = new Descriptor(ImageJson.OCI_MANIFEST, Digest.of(mb), mb.length, Map.of());
        images.blobs().put(md, mb, "build");
        String platform = config.path("os").asText("linux") + "/" + config.path("architecture").asText("amd64");
        ImageStore.Record r = images.store().record(configDesc.digest(), md.digest(), null, platform, size,
                config.path("created").asText(null), tags.isEmpty() ? null : tags.get(0));
        for (ImageReference t : tags.subList(Math.min(1, tags.size()), tags.size())) {
            images.store().tag(r, t);
        }
        return images.store().find(r.id().toString()).orElse(r);
    }

    /** The config document of a held image, as stored. */
    ObjectNode configOf(ImageStore.Record r) throws IOException {
        JsonNode manifest = ImageJson.parse(Files.readAllBytes(images.blobs().path(r.manifestDigest())), "manifest");
        Digest config = Digest.parse(manifest.path("config").path("digest").asText());
        return (ObjectNode) ImageJson.parse(Files.readAllBytes(images.blobs().path(config)), "config");
    }

    /** A config document for an image known only by its parsed config (the demo layout). */
    static ObjectNode configOf(ImageConfig c) {
        ObjectNode doc = ImageJson.JSON.createObjectNode().put("architecture", c.architecture() == null ? "amd64" : c.architecture())
                .put("os", c.os() == null ? "linux" : c.os());
        ObjectNode cfg = doc.putObject("config");
        c.env().forEach(cfg.withArray("Env")::add);
        if (!c.entrypoint().isEmpty()) {
            c.entrypoint().forEach(cfg.withArray("Entrypoint")::add);
        }
        if (!c.cmd().isEmpty()) {
            c.cmd().forEach(cfg.withArray("Cmd")::add);
        }
        if (!c.workingDir().isEmpty()) {
            cfg.put("WorkingDir", c.workingDir());
        }
        if (!c.user().isEmpty()) {
            cfg.put("User", c.user());
        }
        c.volumes().forEach(v -> cfg.with("Volumes").putObject(v));
        c.exposedPorts().forEach(p -> cfg.with("ExposedPorts").putObject(p));
        c.labels().forEach((k, v) -> cfg.with("Labels").put(k, v));
        return doc;
    }
}
