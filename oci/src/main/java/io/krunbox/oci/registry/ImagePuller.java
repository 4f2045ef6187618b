package io.krunbox.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.Platform;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.oci.store.BlobStore;
import io.krunbox.oci.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pulls an image: the manifest (choosing the platform from an index), the config, then the
 * layers, a few at a time, each unpacked into the layer cache as soon as its blob is
 * verified. The image is recorded only when every part of it is in the store.
 */
public final class ImagePuller {
    private final RegistryClient client;
    private final BlobStore blobs;
    private final LayerCache layers;
    private final java.util.function.Supplier<ImageStore> images;
    private final int parallel;

    /** {@code images} is asked for only when the pulled image is recorded. */
    public ImagePuller(RegistryClient client, BlobStore blobs, LayerCache layers,
                       java.util.function.Supplier<ImageStore> images, int parallel) {
        this.client = client;
        this.blobs = blobs;
        this.layers = layers;
        this.images = images;
        this.parallel = parallel;
    }

    public ImageStore.Record pull(ImageReference ref, Platform platform, PullListener listener) throws IOException {
        io.krunbox.oci.StreamSha256.warmUp(); // ready by the time the layers stream
        RegistryClient.Fetched top = client.manifest(ref, ref.manifestKey());
        blobs.put(new Descriptor(top.mediaType(), top.digest(), top.bytes().length, Map.of()), top.bytes(), ref.toString());
        RegistryClient.Fetched manifest = top;
        JsonNode node = ImageJson.parse(top.bytes(), "manifest of " + ref);
        if (ImageJson.isIndex(top.mediaType(), node)) {
            Descriptor chosen = ImageJson.choosePlatform(node, platform, ref.toString());
            manifest = client.manifest(ref, chosen.digest().toString());
            blobs.put(chosen, manifest.bytes(), ref.toString());
            node = ImageJson.parse(manifest.bytes(), "manifest of " + ref + " for " + platform);
        }
        if (node.path("schemaVersion").asInt() != 2 || !node.has("config")) {
            throw new ImageException(ref + " has a manifest krunbox cannot read (schema " + node.path("schemaVersion")
                    + ", " + manifest.mediaType() + "); only OCI and Docker schema 2 images are supported");
        }
        Descriptor configDesc = ImageJson.descriptor(node.path("config"), ref.toString());
        client.blob(ref, configDesc, blobs, done -> {});
        JsonNode config = ImageJson.parse(Files.readAllBytes(blobs.path(configDesc.digest())), "config of " + ref);
        List<Descriptor> layerDescs = ImageJson.layers(node, ref.toString());
        List<Digest> diffIds = ImageJson.diffIds(config);
        if (layerDescs.size() != diffIds.size()) {
            throw new ImageException(ref + ": the manifest lists " + layerDescs.size() + " layers but the config has "
                    + diffIds.size() + " diff_ids");
        }
        listener.resolved(ref.toString(), top.digest().toString(), layerDescs.size());
        fetchLayers(ref, layerDescs, diffIds, listener);

        long size = configDesc.size() + layerDescs.stream().mapToLong(Descriptor::size).sum();
        String platformText = config.path("os").asText("linux") + "/" + config.path("architecture").asText("")
                + (config.path("variant").asText("").isEmpty() ? "" : "/" + config.path("variant").asText());
        String repoDigest = ref.registry() + "/" + ref.repository() + "@" + top.digest();
        return images.get().record(configDesc.digest(), manifest.digest(), repoDigest, platformText, size,
                config.path("created").asText(null), ref.tag() != null ? ref : null);
    }

    private void fetchLayers(ImageReference ref, List<Descriptor> descs, List<Digest> diffIds, PullListener listener)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, descs.size())), r -> {
            Thread t = new Thread(r, "pull-layer");
            t.setDaemon(true);
            return t;
        });
        ExecutorService unpackers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "unpack-layer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            // largest first: the long unpackings start early and overlap the small ones
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < descs.size(); i++) {
                order.add(i);
            }
            order.sort((a, b) -> Long.compare(descs.get(b).size(), descs.get(a).size()));
            for (int i : order) {
                Descriptor d = descs.get(i);
                Image.Layer layer = new Image.Layer(d, diffIds.get(i), blobs.path(d.digest()));
                jobs.add(pool.submit(() -> {
                    if (blobs.has(d.digest()) && layers.contains(layer)) {
                        listener.status(d, "Already exists");
                        return null;
                    }
                    listener.status(d, "Downloading");
                    if (!layers.contains(layer) && !blobs.has(d.digest())) {
                        streamed(ref, d, layer, listener, unpackers);
                    } else {
                        client.blob(ref, d, blobs, done -> listener.progress(d, done));
                    }
                    listener.status(d, "Extracting");
                    layers.ensure(layer, ref.toString());
                    listener.status(d, "Pull complete");
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new ImageException("pull of " + ref + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("pull of " + ref + " was interrupted", e);
        } finally {
            pool.shutdownNow();
            unpackers.shutdownNow();
        }
    }

    /**
     * Downloads a layer while another thread unpacks the same bytes. The unpacked tree is
     * installed only when the download went through in one piece and the blob verified;
     * otherwise it is dropped and the layer is unpacked from the verified blob afterwards.
     */
    private void streamed(ImageReference ref, Descriptor d, Image.Layer layer, PullListener listener,
                          ExecutorService unpackers) throws IOException, InterruptedException {
        ChunkPipe pipe = new ChunkPipe(64);
        Future<java.nio.file.Path> staged = unpackers.submit(() -> {
            try (InputStream in = pipe.in) {
                return layers.stage(in, layer, ref.toString());
            }
        });
        boolean whole;
        try {
            whole = client.blobStreamed(ref, d, blobs, done -> listener.progress(d, done), pipe.out);
        } catch (IOException | RuntimeException downloadFailed) {
            pipe.fail();
            try {
                io.krunbox.oci.layer.LayerUnpacker.deleteTree(staged.get());
            } catch (ExecutionException alsoFailed) {
                // stage() removed its own directory
            }
            throw downloadFailed;
        }
        java.nio.file.Path tree;
        try {
            tree = staged.get();
        } catch (ExecutionException unpackFailed) {
            return; // unpacked again below, from the verified blob, where the error is reported
        }
        if (whole && blobs.has(d.digest())) {
            layers.install(tree, layer);
        } else {
            io.krunbox.oci.layer.LayerUnpacker.deleteTree(tree);
        }
    }
}
