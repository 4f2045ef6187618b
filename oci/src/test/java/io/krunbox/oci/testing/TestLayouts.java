package io.krunbox.oci.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes OCI image layouts for tests: single images, and indexes of several platforms. */
public final class TestLayouts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestLayouts() {}

    /** One platform's image: each layer maps paths to file contents. */
    public record Spec(String os, String arch, List<Map<String, byte[]>> layers) {}

    public static Spec image(String arch, Map<String, String> files) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return new Spec("linux", arch, List.of(bytes));
    }

    /** Writes a layout with {@code tag} naming one image (one spec) or an index (several). Returns the top digest. */
    public static Digest write(Path dir, String tag, Spec... specs) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ArrayNode manifests = JSON.createArrayNode();
        for (Spec s : specs) {
            ObjectNode m = manifest(dir, s);
            byte[] mb = JSON.writeValueAsBytes(m);
            ObjectNode d = descriptor("application/vnd.oci.image.manifest.v1+json", put(dir, mb), mb.length);
            d.putObject("platform").put("os", s.os()).put("architecture", s.arch());
            manifests.add(d);
        }
        ObjectNode top;
        if (specs.length == 1) {
            top = (ObjectNode) manifests.get(0);
            top.remove("platform");
        } else {
            ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2)
                    .put("mediaType", "application/vnd.oci.image.index.v1+json");
            index.set("manifests", manifests);
            byte[] ib = JSON.writeValueAsBytes(index);
            top = descriptor("application/vnd.oci.image.index.v1+json", put(dir, ib), ib.length);
        }
        top.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        ObjectNode outer = JSON.createObjectNode().put("schemaVersion", 2);
        outer.putArray("manifests").add(top);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(outer));
        return Digest.parse(top.get("digest").asText());
    }

    private static ObjectNode manifest(Path dir, Spec s) throws IOException {
        ArrayNode layers = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        for (Map<String, byte[]> files : s.layers()) {
            byte[] tar = tar(files);
            diffIds.add(Digest.of(tar).toString());
            byte[] gz = gzip(tar);
            layers.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", put(dir, gz), gz.length));
        }
        ObjectNode config = JSON.createObjectNode().put("architecture", s.arch()).put("os", s.os())
                .put("created", "2026-01-01T00:00:00Z");
        config.putObject("config").putArray("Cmd").add("sh");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        byte[] cb = JSON.writeValueAsBytes(config);
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.set("config", descriptor("application/vnd.oci.image.config.v1+json", put(dir, cb), cb.length));
        m.set("layers", layers);
        return m;
    }

    private static ObjectNode descriptor(String type, Digest d, long size) {
        return JSON.createObjectNode().put("mediaType", type).put("digest", d.toString()).put("size", size);
    }

    private static Digest put(Path dir, byte[] bytes) throws IOException {
        Digest d = Digest.of(bytes);
        Files.write(dir.resolve("blobs/sha256").resolve(d.hex()), bytes);
        return d;
    }

    public static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                entry.setMode(0100644);
                t.putArchiveEntry(entry);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(data);
        }
        return out.toByteArray();
    }
}
