package io.krunbox.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading manifests, indexes and configs, in both OCI and Docker schema 2 media types. */
public final class ImageJson {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** What we accept from a registry, most wanted first. */
    public static final List<String> MANIFEST_TYPES = List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
    /** One shared mapper: Jackson mappers are thread-safe once configured. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private ImageJson() {}

    public static JsonNode parse(byte[] bytes, String what) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ImageException(what + " is not JSON: " + e.getMessage(), e);
        }
    }

    public static boolean isIndex(String mediaType, JsonNode node) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType)
                || (node.has("manifests") && !node.has("layers"));
    }

    public static Descriptor descriptor(JsonNode node, String where) {
        try {
            Map<String, String> annotations = new LinkedHashMap<>();
            node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
            return new Descriptor(node.path("mediaType").asText(null), Digest.parse(node.path("digest").asText(null)),
                    node.path("size").asLong(-1), annotations);
        } catch (IllegalArgumentException e) {
            throw new ImageException(where + ": bad descriptor " + node + ": " + e.getMessage(), e);
        }
    }

    /** The index entry for a platform, or an error listing the platforms the index has. */
    public static Descriptor choosePlatform(JsonNode index, Platform platform, String where) {
        List<String> offered = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            JsonNode p = m.path("platform");
            String os = p.path("os").asText(), arch = p.path("architecture").asText(), variant = p.path("variant").asText("");
            if (platform.matches(os, arch, variant)) {
                return descriptor(m, where);
            }
            if (!os.isEmpty() && !os.equals("unknown")) {
                offered.add(os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant));
            }
        }
        throw new ImageException(where + " has no image for platform " + platform + "; it has " + offered
                + " (choose one with --platform)");
    }

    /** Layer descriptors of a manifest, bottom first. */
    public static List<Descriptor> layers(JsonNode manifest, String where) {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode l : manifest.path("layers")) {
            out.add(descriptor(l, where));
        }
        return out;
    }

    public static List<Digest> diffIds(JsonNode config) {
        List<Digest> out = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(n -> out.add(Digest.parse(n.asText())));
        return out;
    }

    public static ImageConfig config(JsonNode root) {
        JsonNode c = root.path("config");
        List<String> volumes = new ArrayList<>();
        c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> exposed = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
        return new ImageConfig(strings(c.path("Env")), strings(c.path("Entrypoint")), strings(c.path("Cmd")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""), volumes, labels,
                root.path("architecture").asText(""), root.path("os").asText(""), exposed);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
