package io.krunbox.oci.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.Platform;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.oci.store.BlobStore;
import io.krunbox.oci.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** {@code import rootfs.tar NAME}: a root file system tar (plain or gzip) becomes a one-layer image. */
public final class RootfsImporter {
    private final ImageStore store;
    private final LayerCache layers;

    public RootfsImporter(ImageStore store, LayerCache layers) {
        this.store = store;
        this.layers = layers;
    }

    public ImageStore.Record importTar(Path tar, ImageReference name, Path scratch) throws IOException {
        BlobStore blobs = store.blobs();
        // the diff id is the digest of the uncompressed tar; the blob we keep is gzip
        Path gz = Files.createTempFile(scratch, "import-", ".tar.gz");
        try {
            java.security.MessageDigest diff = Digest.newSha256();
            try (InputStream raw = plain(tar);
                 InputStream hashed = new java.security.DigestInputStream(raw, diff);
                 OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
                hashed.transferTo(out);
            }
            Digest diffId = new Digest("sha256", java.util.HexFormat.of().formatHex(diff.digest()));
            Descriptor layer = new Descriptor(ImageJson.OCI_LAYER_GZIP, Digest.parse("sha256:" + ImageArchive.sha256(gz)),
                    Files.size(gz), Map.of());
            try (InputStream in = Files.newInputStream(gz)) {
                blobs.put(layer, in, "import " + tar);
            }
            layers.ensure(new Image.Layer(layer, diffId, blobs.path(layer.digest())), "import " + tar);

            Platform host = Platform.host();
            String created = Instant.now().toString();
            ObjectNode config = ImageJson.JSON.createObjectNode().put("architecture", host.architecture())
                    .put("os", host.os()).put("created", created);
            config.putObject("config").putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(diffId.toString());
            config.putArray("history").addObject().put("created", created).put("created_by", "krunbox import " + tar.getFileName());
            byte[] cb = ImageJson.JSON.writeValueAsBytes(config);
            Descriptor configDesc = new Descriptor(ImageJson.OCI_CONFIG, Digest.of(cb), cb.length, Map.of());
            blobs.put(configDesc, cb, "import");

            ObjectNode manifest = ImageJson.JSON.createObjectNode().put("schemaVersion", 2)
                    .put("mediaType", ImageJson.OCI_MANIFEST);
            manifest.putObject("config").put("mediaType", ImageJson.OCI_CONFIG)
                    .put("digest", configDesc.digest().toString()).put("size", cb.length);
            manifest.putArray("layers").addObject().put("mediaType", ImageJson.OCI_LAYER_GZIP)
                    .put("digest", layer.digest().toString()).put("size", layer.size());
            byte[] mb = ImageJson.JSON.writeValueAsBytes(manifest);
            Descriptor md = new Descriptor(ImageJson.OCI_MANIFEST, Digest.of(mb), mb.length, Map.of());
            blobs.put(md, mb, "import");
            return store.record(configDesc.digest(), md.digest(), null, host.toString(), cb.length + layer.size(),
                    created, name);
        } finally {
            Files.deleteIfExists(gz);
        }
    }

    private static InputStream plain(Path tar) throws IOException {
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(tar), 1 << 16);
        return ImageArchive.isGzip(tar) ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
