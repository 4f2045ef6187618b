package io.krunbox.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.UnexpectedBlobDigestException;
import io.krunbox.oci.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A client of the distribution API v2. It owns authentication (anonymous and Bearer
 * tokens, Basic), retries with backoff, and resumable blob downloads that fail instead of
 * hanging when a registry stops sending.
 */
public final class RegistryClient {
    // HTTP/1.1: registries on plain HTTP would otherwise get an h2c upgrade attempt on every request
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(LazyTrust.context()).connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final CredentialStore credentials;
    private final Set<String> insecure;
    private final Duration stallTimeout;
    private final int attempts;
    private final Map<String, String> authorization = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param insecure hosts (with or without port) spoken to over plain HTTP; 127.0.0.1 and
     *                 localhost always are
     */
    public RegistryClient(CredentialStore credentials, Set<String> insecure, Duration stallTimeout, int attempts) {
        this.credentials = credentials;
        this.insecure = Set.copyOf(insecure);
        this.stallTimeout = stallTimeout;
        this.attempts = attempts;
    }

    /** A manifest or index as the registry sent it. */
    public record Fetched(byte[] bytes, String mediaType, Digest digest) {}

    public boolean isInsecure(String registry) {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                || insecure.contains(registry) || insecure.contains(host);
    }

    URI base(String registry) {
        String host = registry.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
        return URI.create((isInsecure(registry) ? "http://" : "https://") + host);
    }

    /** Fetches the manifest (or index) a tag or digest names, and checks it against its digest. */
    public Fetched manifest(ImageReference ref, String key) {
        URI uri = base(ref.registry()).resolve("/v2/" + ref.repository() + "/manifests/" + key);
        return retry("fetch manifest " + key + " of " + ref.familiarName(), () -> {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Accept", String.join(", ", ImageJson.MANIFEST_TYPES));
            HttpResponse<byte[]> r = send(ref, rb, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404) {
                throw new ImageException("manifest " + key + " of " + ref.familiarName() + " not found in "
                        + ref.registry() + " (check the name and tag)");
            }
            expectOk(r.statusCode(), "manifest " + key + " of " + ref, new String(r.body(), StandardCharsets.UTF_8));
            byte[] bytes = r.body();
            Digest actual = Digest.of(bytes);
            Optional<String> claimed = key.startsWith("sha256:") ? Optional.of(key)
                    : r.headers().firstValue("Docker-Content-Digest");
            if (claimed.isPresent() && !claimed.get().equals(actual.toString())) {
                throw new UnexpectedBlobDigestException(Digest.parse(claimed.get()), actual.toString(), ref.toString());
            }
            String type = r.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse("");
            if (!ImageJson.MANIFEST_TYPES.contains(type)) {
                type = ImageJson.parse(bytes, "manifest of " + ref).path("mediaType").asText(type);
            }
            return new Fetched(bytes, type, actual);
        });
    }

    /**
     * Downloads a blob into the store, resuming what an earlier attempt (or an earlier,
     * killed, pull) left in its partial file.
     */
    public Path blob(ImageReference ref, Descriptor d, BlobStore store, LongConsumer progress) throws IOException {
        return blob(ref, d, store, progress, null);
    }

    /**
     * As {@link #blob(ImageReference, Descriptor, BlobStore, LongConsumer)}; every byte is also
     * copied to {@code tee} when the blob arrives in one attempt from its first byte. The
     * return tells which: true when {@code tee} saw the whole blob (and the blob verified).
     */
    public boolean blobStreamed(ImageReference ref, Descriptor d, BlobStore store, LongConsumer progress,
                                OutputStream tee) throws IOException {
        boolean[] whole = {true};
        try {
            blob(ref, d, store, progress, new Tee(tee, whole));
        } finally {
            tee.close();
        }
        return whole[0];
    }

    /** Copies to the stream until the download restarts or resumes; then it is no longer the whole blob. */
    private static final class Tee {
        final OutputStream out;
        final boolean[] whole;
        boolean started;

        Tee(OutputStream out, boolean[] whole) {
            this.out = out;
            this.whole = whole;
        }
    }

    private Path blob(ImageReference ref, Descriptor d, BlobStore store, LongConsumer progress, Tee tee)
            throws IOException {
        if (store.has(d.digest())) {
            if (tee != null) {
                tee.whole[0] = false;
            }
            progress.accept(d.size());
            return store.path(d.digest());
        }
        URI uri = base(ref.registry()).resolve("/v2/" + ref.repository() + "/blobs/" + d.digest());
        try (BlobStore.Writer w = store.open(d, ref.toString())) {
            if (store.has(d.digest())) { // another process finished it while we waited for the lock
                if (tee != null) {
                    tee.whole[0] = false;
                }
                progress.accept(d.size());
                return store.path(d.digest());
            }
            retry("download blob " + d.digest() + " of " + ref.familiarName(), () -> {
                download(ref, uri, w, progress, tee);
                return null;
            });
            return w.commit();
        }
    }

    private void download(ImageReference ref, URI uri, BlobStore.Writer w, LongConsumer progress, Tee tee)
            throws IOException, InterruptedException {
        long offset = w.offset();
        if (tee != null && (tee.started || offset > 0)) {
            tee.whole[0] = false; // a second attempt, or a resume: the stream did not see it all
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri);
        if (offset > 0) {
            rb.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> r = send(ref, rb, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() == 416) {
                w.restart();
                throw new IOException("the registry refused to resume at byte " + offset + "; starting over");
            }
            if (r.statusCode() == 200 && offset > 0) {
                w.restart(); // no range support: the whole blob again
            } else if (r.statusCode() != 206 && r.statusCode() != 200) {
                expectOk(r.statusCode(), "blob " + uri.getPath(), new String(in.readNBytes(500), StandardCharsets.UTF_8));
            }
            progress.accept(w.offset());
            OutputStream sink = w.stream();
            if (tee != null && tee.whole[0]) {
                tee.started = true;
                sink = new TeeOutputStream(sink, tee);
            }
            copyWatched(in, sink, progress, w);
        }
    }

    /** Writes to the blob and, while the tee still follows the whole blob, to the tee (whose failure only ends the tee). */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream blob;
        private final Tee tee;

        TeeOutputStream(OutputStream blob, Tee tee) {
            this.blob = blob;
            this.tee = tee;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            blob.write(b, off, len);
            if (tee.whole[0]) {
                try {
                    tee.out.write(b, off, len);
                } catch (IOException readerGone) {
                    tee.whole[0] = false;
                }
            }
        }
    }

    /** Copies, closing the stream when nothing arrives for {@link #stallTimeout}, so a stalled pull fails. */
    private void copyWatched(InputStream in, OutputStream out, LongConsumer progress, BlobStore.Writer w)
            throws IOException {
        AtomicLong last = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long period = Math.max(100, stallTimeout.toMillis() / 4);
        ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - last.get() > stallTimeout.toNanos() && stalled.compareAndSet(false, true)) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is how the reader is woken
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        try {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (Thread.currentThread().isInterrupted()) { // the call was cancelled (Ctrl-C through the server)
                    throw new java.io.InterruptedIOException("interrupted while downloading a blob");
                }
                out.write(buf, 0, n);
                last.set(System.nanoTime());
                progress.accept(w.offset());
            }
        } catch (IOException e) {
            if (stalled.get()) {
                throw new IOException("no data for " + stallTimeout.toSeconds() + " s", e);
            }
            throw e;
        } finally {
            watch.cancel(false);
        }
        if (stalled.get()) {
            throw new IOException("no data for " + stallTimeout.toSeconds() + " s");
        }
    }

    /** Checks credentials against a registry, as {@code krunbox login} does before saving them. */
    public void checkLogin(String registry, Credentials c) {
        ImageReference probe = new ImageReference(registry, "krunbox/login-check", "latest", null);
        HttpRequest.Builder rb = HttpRequest.newBuilder(base(registry).resolve("/v2/"));
        retry("log in to " + registry, () -> {
            HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401) {
                WwwAuthenticate challenge = challenge(r, registry);
                String header = authorize(probe, challenge, "", Optional.of(c));
                HttpResponse<String> again = http.send(rb.copy().header("Authorization", header).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (again.statusCode() == 401) {
                    throw new ImageException("login to " + registry + " failed: the registry refused user " + c.username());
                }
            }
            return null;
        });
    }

    private <T> HttpResponse<T> send(ImageReference ref, HttpRequest.Builder rb, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return send(ref, rb, handler, "pull");
    }

    /** As above, for {@code actions} ({@code pull} or {@code pull,push}) on the repository. */
    <T> HttpResponse<T> send(ImageReference ref, HttpRequest.Builder rb, HttpResponse.BodyHandler<T> handler, String actions)
            throws IOException, InterruptedException {
        String key = ref.registry() + "|" + ref.repository() + "|" + actions;
        String cached = authorization.get(key);
        if (cached != null) {
            rb.setHeader("Authorization", cached);
        }
        HttpResponse<T> r = http.send(rb.build(), handler);
        if (r.statusCode() != 401) {
            return r;
        }
        closeBody(r);
        String header = authorize(ref, challenge(r, ref.registry()), "repository:" + ref.repository() + ":" + actions,
                credentials.lookup(ref.registry()));
        authorization.put(key, header);
        HttpResponse<T> again = http.send(rb.setHeader("Authorization", header).build(), handler);
        if (again.statusCode() == 401) {
            closeBody(again);
            throw new ImageException(ref.registry() + " refused access to " + ref.familiarName()
                    + (credentials.lookup(ref.registry()).isPresent() ? " with the stored credentials" : "")
                    + ": check the name, or run `krunbox login " + ref.registry() + "`");
        }
        return again;
    }

    private static WwwAuthenticate challenge(HttpResponse<?> r, String registry) {
        return WwwAuthenticate.parse(r.headers().firstValue("WWW-Authenticate").orElseThrow(() ->
                new ImageException(registry + " answered 401 without a WWW-Authenticate challenge")));
    }

    /** The Authorization header that answers a challenge: a Bearer token from the realm, or Basic. */
    private String authorize(ImageReference ref, WwwAuthenticate challenge, String scope, Optional<Credentials> creds)
            throws IOException, InterruptedException {
        if (challenge.scheme().equals("basic")) {
            return creds.orElseThrow(() -> new ImageException(ref.registry() + " requires credentials: run `krunbox login "
                    + ref.registry() + "`")).basicHeader();
        }
        if (!challenge.scheme().equals("bearer") || challenge.param("realm") == null) {
            throw new ImageException(ref.registry() + " asks for authentication krunbox does not speak: "
                    + challenge.scheme());
        }
        StringBuilder url = new StringBuilder(challenge.param("realm"));
        String sep = url.indexOf("?") < 0 ? "?" : "&";
        if (challenge.param("service") != null) {
            url.append(sep).append("service=").append(URLEncoder.encode(challenge.param("service"), StandardCharsets.UTF_8));
            sep = "&";
        }
        String wanted = challenge.param("scope") != null ? challenge.param("scope") : scope;
        if (!wanted.isEmpty()) {
            url.append(sep).append("scope=").append(URLEncoder.encode(wanted, StandardCharsets.UTF_8));
        }
        HttpRequest.Builder tb = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(30));
        creds.ifPresent(c -> tb.header("Authorization", c.basicHeader()));
        HttpResponse<byte[]> t = http.send(tb.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (t.statusCode() == 401 || t.statusCode() == 403) {
            throw new ImageException(creds.isPresent()
                    ? "wrong credentials for " + ref.registry() + ": its token service refused user "
                            + creds.get().username() + "; run `krunbox login " + ref.registry() + "` again"
                    : ref.registry() + " requires credentials: run `krunbox login " + ref.registry() + "`");
        }
        expectOk(t.statusCode(), "token from " + challenge.param("realm"), new String(t.body(), StandardCharsets.UTF_8));
        JsonNode body = ImageJson.parse(t.body(), "token from " + challenge.param("realm"));
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new ImageException("the token service of " + ref.registry() + " sent no token");
        }
        return "Bearer " + token;
    }

    private static void closeBody(HttpResponse<?> r) throws IOException {
        if (r.body() instanceof InputStream in) {
            in.close();
        }
    }

    private static void expectOk(int status, String what, String body) throws IOException {
        if (status == 429 || status >= 500) {
            throw new RetryableStatus(status, what);
        }
        if (status / 100 != 2) {
            throw new ImageException("registry answered " + status + " for " + what + ": "
                    + body.substring(0, Math.min(200, body.length())).trim());
        }
    }

    /** A status worth another try (429, 5xx). */
    private static final class RetryableStatus extends IOException {
        RetryableStatus(int status, String what) {
            super("registry answered " + status + " for " + what);
        }
    }

    interface Attempt<T> {
        T run() throws IOException, InterruptedException;
    }

    /** Runs {@code a} up to {@link #attempts} times with exponential backoff on I/O errors and 429/5xx. */
    private <T> T retry(String what, Attempt<T> a) {
        IOException last = null;
        for (int i = 0; i < attempts; i++) {
            try {
                return a.run();
            } catch (IOException e) {
                last = e;
                if (Thread.currentThread().isInterrupted() || e instanceof java.io.InterruptedIOException
                        || e instanceof java.nio.channels.ClosedByInterruptException) {
                    throw new ImageException("interrupted: " + what, e); // cancelled: never tried again
                }
                try {
                    Thread.sleep(Math.min(4000, 250L << i));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ImageException("interrupted: " + what, ie);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImageException("interrupted: " + what, e);
            }
        }
        throw new ImageException("cannot " + what + " after " + attempts + " attempts: " + describe(last), last);
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (is the registry up, and is it HTTPS or plain HTTP? see --insecure-registry)";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
