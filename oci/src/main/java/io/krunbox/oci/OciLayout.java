package io.krunbox.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/}).
 * Every JSON blob is checked against its descriptor's size and digest before it is used.
 */
public final class OciLayout {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = ImageJson.JSON;

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
        while (ImageJson.isIndex(chosen.mediaType(), manifest)) {
            chosen = ImageJson.choosePlatform(manifest, Platform.host(), where);
            manifest = readBlobJson(chosen, where);
        }
        Descriptor configDesc = ImageJson.descriptor(manifest.path("config"), where);
        JsonNode configJson = readBlobJson(configDesc, where);
        ImageConfig config = ImageJson.config(configJson);
        List<Digest> diffIds = ImageJson.diffIds(configJson);
        JsonNode layers = manifest.path("layers");
        if (layers.size() != diffIds.size()) {
            throw new ImageException(where + ": the manifest lists " + layers.size()
                    + " layers but the config has " + diffIds.size() + " diff_ids");
        }
        List<Image.Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor blob = ImageJson.descriptor(layers.get(i), where);
            out.add(new Image.Layer(blob, diffIds.get(i), blobPath(blob.digest())));
        }
        return new Image(where, chosen.digest(), config, out);
    }

    private Descriptor chooseByTag(JsonNode index, String tag, String where) {
        List<Descriptor> all = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            all.add(ImageJson.descriptor(m, where));
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
        return ImageJson.parse(bytes, where + ": blob " + d.digest());
    }

    private static JsonNode readJson(Path path, String where) {
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new ImageException(where + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
