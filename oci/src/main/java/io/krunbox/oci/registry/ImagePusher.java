package io.krunbox.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Uploads an image to a registry (distribution API v2): every blob the manifest names that the
 * repository lacks (a blob the registry has under another repository of ours is mounted
 * across, one it has here is skipped), monolithic or in chunks, then the manifest under the
 * tag. Authentication is the pull's, with the push scope. A failure names the blob and what
 * the registry said.
 */
public final class ImagePusher {
    /** Blobs at least this big go up in chunks of it (PATCH with Content-Range). */
    public static final long CHUNK = 8L << 20;
    private final RegistryClient client;
    private final BlobStore blobs;

    /** What happened to each blob: pushed, mounted or already there. */
    public record Report(List<String> lines, Digest manifest) {}

    public ImagePusher(RegistryClient client, BlobStore blobs) {
        this.client = client;
        this.blobs = blobs;
    }

    /**
     * Pushes the image whose manifest is {@code manifestDigest} to {@code dest} (its tag, or
     * latest); {@code mountFrom}: another repository of the same registry that may hold the blobs.
     */
    public Report push(Digest manifestDigest, ImageReference dest, String mountFrom, Consumer<String> progress)
            throws IOException {
        byte[] manifest = Files.readAllBytes(blobs.path(manifestDigest));
        JsonNode m = ImageJson.parse(manifest, "manifest " + manifestDigest);
        List<Descriptor> all = new ArrayList<>(ImageJson.layers(m, "manifest " + manifestDigest));
        all.add(ImageJson.descriptor(m.path("config"), "manifest " + manifestDigest));
        List<String> lines = new ArrayList<>();
        for (Descriptor d : all) {
            String what = d.digest().shortHex();
            if (exists(dest, d.digest())) {
                lines.add(what + ": already there");
            } else if (mountFrom != null && !mountFrom.equals(dest.repository()) && mount(dest, d.digest(), mountFrom)) {
                lines.add(what + ": mounted from " + mountFrom);
            } else {
                upload(dest, d);
                lines.add(what + ": pushed (" + d.size() + " bytes)");
            }
            progress.accept(lines.get(lines.size() - 1));
        }
        String type = m.path("mediaType").asText(ImageJson.OCI_MANIFEST);
        String tag = dest.tag() != null ? dest.tag() : "latest";
        URI uri = client.base(dest.registry()).resolve("/v2/" + dest.repository() + "/manifests/" + tag);
        HttpResponse<String> r = call(dest, HttpRequest.newBuilder(uri).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new ImageException("the registry refused the manifest " + manifestDigest + " for " + dest + ": HTTP "
                    + r.statusCode() + " " + brief(r.body()));
        }
        return new Report(lines, manifestDigest);
    }

    private boolean exists(ImageReference dest, Digest d) throws IOException {
        URI uri = client.base(dest.registry()).resolve("/v2/" + dest.repository() + "/blobs/" + d);
        HttpResponse<String> r = call(dest, HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        return r.statusCode() == 200;
    }

    private boolean mount(ImageReference dest, Digest d, String from) throws IOException {
        URI uri = client.base(dest.registry()).resolve("/v2/" + dest.repository() + "/blobs/uploads/?mount=" + d + "&from="
                + from);
        HttpResponse<String> r = call(dest, HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() == 201) {
            return true;
        }
        if (r.statusCode() == 202) { // not mountable: the registry opened an upload instead; it is left to expire
            return false;
        }
        return false;
    }

    private void upload(ImageReference dest, Descriptor d) throws IOException {
        Path file = blobs.path(d.digest());
        URI start = client.base(dest.registry()).resolve("/v2/" + dest.repository() + "/blobs/uploads/");
        HttpResponse<String> r = call(dest, HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 202) {
            throw failure(d, "could not start its upload", r);
        }
        URI location = location(dest, r, d);
        if (d.size() >= CHUNK) {
            long offset = 0;
            byte[] buf = new byte[(int) CHUNK];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                    byte[] chunk = n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
                    HttpResponse<String> p = call(dest, HttpRequest.newBuilder(location)
                            .header("Content-Type", "application/octet-stream")
                            .header("Content-Range", offset + "-" + (offset + n - 1))
                            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)));
                    if (p.statusCode() != 202) {
                        throw failure(d, "a chunk at byte " + offset + " was refused", p);
                    }
                    offset += n;
                    location = location(dest, p, d);
                }
            }
            HttpResponse<String> done = call(dest, HttpRequest.newBuilder(withDigest(location, d.digest()))
                    .PUT(HttpRequest.BodyPublishers.noBody()));
            if (done.statusCode() != 201) {
                throw failure(d, "the finished upload was refused", done);
            }
            return;
        }
        HttpResponse<String> put = call(dest, HttpRequest.newBuilder(withDigest(location, d.digest()))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofFile(file)));
        if (put.statusCode() != 201) {
            throw failure(d, "the upload was refused", put);
        }
    }

    private URI location(ImageReference dest, HttpResponse<?> r, Descriptor d) {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new ImageException("the registry gave no upload"
                + " location for blob " + d.digest()));
        URI u = URI.create(loc);
        return u.isAbsolute() ? u : client.base(dest.registry()).resolve(loc);
    }

    private static URI withDigest(URI u, Digest d) {
        String s = u.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + java.net.URLEncoder.encode(d.toString(),
                StandardCharsets.UTF_8));
    }

    private HttpResponse<String> call(ImageReference dest, HttpRequest.Builder rb) throws IOException {
        try {
            return client.send(dest, rb.timeout(java.time.Duration.ofMinutes(10)), HttpResponse.BodyHandlers.ofString(),
                    "pull,push");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pushing to " + dest, e);
        }
    }

    private static ImageException failure(Descriptor d, String what, HttpResponse<String> r) {
        return new ImageException("push of blob " + d.digest() + " (" + d.size() + " bytes): " + what + ": HTTP "
                + r.statusCode() + " " + brief(r.body()));
    }

    private static String brief(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body.strip();
    }
}
