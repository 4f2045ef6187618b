package io.krunbox.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/}).
 * Every JSON blob is checked against its descriptor's size and digest before it is used.
 */
public final class OciLayout {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private OciLayout(Path dir) {
        this.dir = dir;
    }

    public static OciLayout open(Path dir) {
        if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(dir.resolve("index.json"))) {
            throw new ImageException(dir + " is not an OCI image layout (it needs oci-layout and index.json);"
                    + " create one with `skopeo copy docker://IMAGE oci:" + dir + ":TAG`");
        }
        return new OciLayout(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path blobPath(Digest digest) {
        return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    /** Resolves a tag (null: the only image, or "latest") to an image for linux/amd64. */
    public Image image(String tag) {
        String where = "oci:" + dir + (tag == null ? "" : ":" + tag);
        JsonNode index = readJson(dir.resolve("index.json"), where);
        Descriptor chosen = chooseByTag(index, tag, where);
        JsonNode manifest = readBlobJson(chosen, where);
        while (isIndex(chosen.mediaType(), manifest)) {
            chosen = choosePlatform(manifest, where);
            manifest = readBlobJson(chosen, where);
        }
        Descriptor configDesc = descriptor(manifest.path("config"), where);
        ImageConfig config = parseConfig(readBlobJson(configDesc, where));
        JsonNode diffIds = readBlobJson(configDesc, where).path("rootfs").path("diff_ids");
        JsonNode layers = manifest.path("layers");
        if (layers.size() != diffIds.size()) {
            throw new ImageException(where + ": the manifest lists " + layers.size()
                    + " layers but the config has " + diffIds.size() + " diff_ids");
        }
        List<Image.Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor blob = descriptor(layers.get(i), where);
            out.add(new Image.Layer(blob, Digest.parse(diffIds.get(i).asText()), blobPath(blob.digest())));
        }
        return new Image(where, chosen.digest(), config, out);
    }

    private static boolean isIndex(String mediaType, JsonNode node) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType)
                || (node.has("manifests") && !node.has("layers"));
    }

    private Descriptor chooseByTag(JsonNode index, String tag, String where) {
        List<Descriptor> all = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            all.add(descriptor(m, where));
        }
        if (all.isEmpty()) {
            throw new ImageException(where + ": index.json lists no images");
        }
        String want = tag != null ? tag : (all.size() == 1 ? null : "latest");
        if (want == null) {
            return all.get(0);
        }
        List<String> tags = new ArrayList<>();
        for (Descriptor d : all) {
            String name = d.annotations().get(REF_NAME);
            if (want.equals(name)) {
                return d;
            }
            if (name != null) {
                tags.add(name);
            }
        }
        throw new ImageException(where + ": no image tagged \"" + want + "\"; the layout has " + tags);
    }

    private Descriptor choosePlatform(JsonNode index, String where) {
        for (JsonNode m : index.path("manifests")) {
            JsonNode p = m.path("platform");
            if ("linux".equals(p.path("os").asText()) && "amd64".equals(p.path("architecture").asText())) {
                return descriptor(m, where);
            }
        }
        throw new ImageException(where + ": the image index has no linux/amd64 image");
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        try {
            Map<String, String> annotations = new LinkedHashMap<>();
            node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
            return new Descriptor(node.path("mediaType").asText(null), Digest.parse(node.path("digest").asText(null)),
                    node.path("size").asLong(-1), annotations);
        } catch (IllegalArgumentException e) {
            throw new ImageException(where + ": bad descriptor " + node + ": " + e.getMessage(), e);
        }
    }

    private JsonNode readBlobJson(Descriptor d, String where) {
        Path path = blobPath(d.digest());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ImageException(where + ": blob " + d.digest() + " is missing from " + path.getParent());
        } catch (IOException e) {
            throw new ImageException(where + ": cannot read blob " + d.digest() + ": " + e.getMessage(), e);
        }
        if (d.size() >= 0 && bytes.length != d.size()) {
            throw new ImageException(where + ": blob " + d.digest() + " has " + bytes.length
                    + " bytes, its descriptor says " + d.size());
        }
        Digest actual = Digest.of(bytes);
        if (!actual.equals(d.digest())) {
            throw new UnexpectedBlobDigestException(d.digest(), actual.toString(), where);
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ImageException(where + ": blob " + d.digest() + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(Path path, String where) {
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new ImageException(where + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static ImageConfig parseConfig(JsonNode root) {
        JsonNode c = root.path("config");
        List<String> volumes = new ArrayList<>();
        c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new ImageConfig(strings(c.path("Env")), strings(c.path("Entrypoint")), strings(c.path("Cmd")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""), volumes, labels,
                root.path("architecture").asText(""), root.path("os").asText(""));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
