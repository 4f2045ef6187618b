package io.krunbox.oci.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.Platform;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.oci.layer.LayerUnpacker;
import io.krunbox.oci.store.BlobStore;
import io.krunbox.oci.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Images to and from tar files. {@link #save} writes an OCI image layout that also carries
 * Docker's {@code manifest.json}, so OCI tools and docker-archive readers both take it;
 * {@link #load} reads either form.
 */
public final class ImageArchive {
    private static final String CONTAINERD_NAME = "io.containerd.image.name";
    private final ImageStore store;
    private final BlobStore blobs;
    private final LayerCache layers;

    public ImageArchive(ImageStore store, LayerCache layers) {
        this.store = store;
        this.blobs = store.blobs();
        this.layers = layers;
    }

    /** Writes the images, with their tags, as one tar. */
    public void save(List<ImageStore.Record> images, OutputStream target) throws IOException {
        ArrayNode indexManifests = ImageJson.JSON.createArrayNode();
        ArrayNode dockerManifest = ImageJson.JSON.createArrayNode();
        Set<Digest> wanted = new LinkedHashSet<>();
        for (ImageStore.Record r : images) {
            JsonNode manifest = ImageJson.parse(Files.readAllBytes(blobs.path(r.manifestDigest())), "manifest " + r.id());
            Descriptor config = ImageJson.descriptor(manifest.path("config"), r.id().toString());
            List<Descriptor> layerDescs = ImageJson.layers(manifest, r.id().toString());
            wanted.add(r.manifestDigest());
            wanted.add(config.digest());
            layerDescs.forEach(l -> wanted.add(l.digest()));
            List<String> names = r.tags().isEmpty() ? List.of("") : r.tags();
            for (String name : names) {
                ObjectNode d = indexManifests.addObject().put("mediaType", manifest.path("mediaType")
                        .asText(ImageJson.OCI_MANIFEST)).put("digest", r.manifestDigest().toString())
                        .put("size", Files.size(blobs.path(r.manifestDigest())));
                if (!name.isEmpty()) {
                    ImageReference ref = ImageReference.parse(name);
                    d.putObject("annotations").put(CONTAINERD_NAME, ref.toString())
                            .put("org.opencontainers.image.ref.name", ref.tag());
                }
            }
            ObjectNode dm = dockerManifest.addObject().put("Config", "blobs/sha256/" + config.digest().hex());
            ArrayNode repoTags = dm.putArray("RepoTags");
            r.tags().forEach(t -> repoTags.add(ImageReference.parse(t).familiarTagged()));
            ArrayNode ls = dm.putArray("Layers");
            layerDescs.forEach(l -> ls.add("blobs/sha256/" + l.digest().hex()));
        }
        ObjectNode index = ImageJson.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", ImageJson.OCI_INDEX);
        index.set("manifests", indexManifests);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(target)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            entry(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
            entry(tar, "index.json", ImageJson.JSON.writeValueAsBytes(index));
            entry(tar, "manifest.json", ImageJson.JSON.writeValueAsBytes(dockerManifest));
            dir(tar, "blobs/");
            dir(tar, "blobs/sha256/");
            for (Digest d : wanted) {
                Path p = blobs.path(d);
                TarArchiveEntry e = new TarArchiveEntry("blobs/sha256/" + d.hex());
                e.setSize(Files.size(p));
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
        }
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(0100644);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /** Loads every image of an OCI-layout tar or a docker-archive; returns what was recorded. */
    public List<ImageStore.Record> load(InputStream tarStream, Path scratch) throws IOException {
        Path dir = Files.createTempDirectory(scratch, "load-");
        try {
            new LayerUnpacker(LayerUnpacker.Whiteouts.DELETE, s -> {}).unpack(tarStream, dir, null, "archive");
            if (Files.isRegularFile(dir.resolve("index.json")) && Files.isRegularFile(dir.resolve("oci-layout"))) {
                return loadOci(dir);
            }
            if (Files.isRegularFile(dir.resolve("manifest.json"))) {
                return loadDocker(dir);
            }
            throw new ImageException("the archive is neither an OCI image layout (index.json) nor a docker-archive"
                    + " (manifest.json)");
        } finally {
            LayerUnpacker.deleteTree(dir);
        }
    }

    private List<ImageStore.Record> loadOci(Path dir) throws IOException {
        List<ImageStore.Record> out = new ArrayList<>();
        JsonNode index = ImageJson.JSON.readTree(dir.resolve("index.json").toFile());
        for (JsonNode m : index.path("manifests")) {
            Descriptor d = ImageJson.descriptor(m, "archive");
            byte[] bytes = Files.readAllBytes(blob(dir, d.digest()));
            JsonNode node = ImageJson.parse(bytes, "archive manifest " + d.digest());
            if (ImageJson.isIndex(d.mediaType(), node)) {
                blobs.put(d, bytes, "archive");
                d = ImageJson.choosePlatform(node, Platform.host(), "archive");
                bytes = Files.readAllBytes(blob(dir, d.digest()));
                node = ImageJson.parse(bytes, "archive manifest " + d.digest());
            }
            String name = d.annotations().getOrDefault(CONTAINERD_NAME, m.path("annotations").path(CONTAINERD_NAME).asText(""));
            if (name.isEmpty() && m.path("annotations").has("org.opencontainers.image.ref.name")) {
                name = "localhost/loaded:" + m.path("annotations").path("org.opencontainers.image.ref.name").asText();
            }
            out.add(importManifest(dir, d, bytes, node, name.isEmpty() ? null : ImageReference.parse(name)));
        }
        return out;
    }

    private List<ImageStore.Record> loadDocker(Path dir) throws IOException {
        List<ImageStore.Record> out = new ArrayList<>();
        for (JsonNode entry : ImageJson.JSON.readTree(dir.resolve("manifest.json").toFile())) {
            Path configFile = inside(dir, entry.path("Config").asText());
            byte[] config = Files.readAllBytes(configFile);
            Descriptor configDesc = new Descriptor(ImageJson.OCI_CONFIG, Digest.of(config), config.length, Map.of());
            blobs.put(configDesc, config, "archive");
            ObjectNode manifest = ImageJson.JSON.createObjectNode().put("schemaVersion", 2)
                    .put("mediaType", ImageJson.OCI_MANIFEST);
            manifest.putObject("config").put("mediaType", ImageJson.OCI_CONFIG)
                    .put("digest", configDesc.digest().toString()).put("size", config.length);
            ArrayNode ls = manifest.putArray("layers");
            for (JsonNode layer : entry.path("Layers")) {
                Path f = inside(dir, layer.asText());
                Digest digest = Digest.parse("sha256:" + sha256(f));
                String type = isGzip(f) ? ImageJson.OCI_LAYER_GZIP : "application/vnd.oci.image.layer.v1.tar";
                Descriptor ld = new Descriptor(type, digest, Files.size(f), Map.of());
                try (InputStream in = Files.newInputStream(f)) {
                    blobs.put(ld, in, "archive");
                }
                ls.addObject().put("mediaType", type).put("digest", digest.toString()).put("size", ld.size());
            }
            byte[] mb = ImageJson.JSON.writeValueAsBytes(manifest);
            Descriptor md = new Descriptor(ImageJson.OCI_MANIFEST, Digest.of(mb), mb.length, Map.of());
            List<String> tags = new ArrayList<>();
            entry.path("RepoTags").forEach(t -> tags.add(t.asText()));
            ImageStore.Record r = importManifest(dir, md, mb, manifest, tags.isEmpty() ? null : ImageReference.parse(tags.get(0)));
            for (String t : tags.subList(Math.min(1, tags.size()), tags.size())) {
                store.tag(r, ImageReference.parse(t));
            }
            out.add(store.find(r.id().toString()).orElseThrow());
        }
        return out;
    }

    /** Verifies and stores a manifest's blobs, unpacks its layers and records the image. */
    private ImageStore.Record importManifest(Path dir, Descriptor md, byte[] bytes, JsonNode manifest,
                                             ImageReference tag) throws IOException {
        blobs.put(md, bytes, "archive");
        Descriptor config = ImageJson.descriptor(manifest.path("config"), "archive");
        if (!blobs.has(config.digest())) {
            try (InputStream in = Files.newInputStream(blob(dir, config.digest()))) {
                blobs.put(config, in, "archive");
            }
        }
        JsonNode configJson = ImageJson.parse(Files.readAllBytes(blobs.path(config.digest())), "archive config");
        List<Descriptor> layerDescs = ImageJson.layers(manifest, "archive");
        List<Digest> diffIds = ImageJson.diffIds(configJson);
        if (diffIds.size() != layerDescs.size()) {
            throw new ImageException("archive image " + md.digest() + ": " + layerDescs.size() + " layers but "
                    + diffIds.size() + " diff_ids");
        }
        long size = config.size();
        for (int i = 0; i < layerDescs.size(); i++) {
            Descriptor l = layerDescs.get(i);
            if (!blobs.has(l.digest())) {
                try (InputStream in = Files.newInputStream(blob(dir, l.digest()))) {
                    blobs.put(l, in, "archive");
                }
            }
            layers.ensure(new Image.Layer(l, diffIds.get(i), blobs.path(l.digest())), "archive");
            size += l.size();
        }
        String platform = configJson.path("os").asText("linux") + "/" + configJson.path("architecture").asText("");
        return store.record(config.digest(), md.digest(), null, platform, size, configJson.path("created").asText(null), tag);
    }

    private static Path blob(Path dir, Digest d) {
        Path p = dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
        if (!Files.isRegularFile(p)) {
            throw new ImageException("the archive lacks blob " + d);
        }
        return p;
    }

    private static Path inside(Path dir, String rel) {
        Path p = dir.resolve(rel).normalize();
        if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
            throw new ImageException("the archive's manifest.json names \"" + rel + "\", which the archive lacks");
        }
        return p;
    }

    static boolean isGzip(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    static String sha256(Path f) throws IOException {
        java.security.MessageDigest md = Digest.newSha256();
        try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(f), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
