package io.krunbox.oci.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An in-process front for {@link LocalRegistry}: Bearer-token auth like Docker Hub's
 * (anonymous tokens for {@code public/*}, user alice/secret for everything), and, for blob
 * downloads, throttling or a stall after some bytes. It records the Range headers it sees.
 */
public final class RegistryProxy implements AutoCloseable {
    public static final String USER = "alice";
    public static final String PASSWORD = "secret";
    private final HttpServer server;
    private final String upstream;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean requireToken;
    private volatile boolean requireBasic;
    private volatile long bytesPerSecond;
    private volatile long stallAfter = -1;
    public final List<String> ranges = new CopyOnWriteArrayList<>();

    public RegistryProxy(LocalRegistry registry) throws IOException {
        this.upstream = "http://" + registry.host();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "registry-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::forward);
        server.start();
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public RegistryProxy requireToken(boolean on) {
        requireToken = on;
        return this;
    }

    public RegistryProxy requireBasic(boolean on) {
        requireBasic = on;
        return this;
    }

    public RegistryProxy throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    public RegistryProxy stallAfter(long bytes) {
        this.stallAfter = bytes;
        return this;
    }

    private void token(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
        String scope = java.net.URLDecoder.decode(query.replaceAll(".*scope=([^&]*).*", "$1"), StandardCharsets.UTF_8);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String token;
        if (auth == null) {
            token = scope.startsWith("repository:public/") || !query.contains("scope=") ? "anonymous" : null;
        } else {
            String userPass = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            token = userPass.equals(USER + ":" + PASSWORD) ? "alice" : null;
        }
        reply(ex, token == null ? 401 : 200, token == null ? "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}"
                : "{\"token\":\"" + token + "\",\"expires_in\":300}");
    }

    private void forward(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String repo = path.replaceAll("^/v2/(.*)/(manifests|blobs)/.*$", "$1");
        if (requireBasic) {
            String good = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!good.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"krunbox-test\"");
                reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
                return;
            }
        }
        if (requireToken) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean base = path.equals("/v2/");
            boolean ok = "Bearer alice".equals(auth)
                    || ("Bearer anonymous".equals(auth) && (base || repo.startsWith("public/")));
            if (!ok) {
                // as Docker Hub: the base endpoint's challenge has no scope; parameters deliberately out of order
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer service=\"krunbox-test\","
                        + (base ? "" : "scope=\"repository:" + repo + ":pull\",") + "realm=\"http://" + host() + "/token\"");
                reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
                return;
            }
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()))
                .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        for (String h : List.of("Accept", "Range")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                rb.header(h, v);
                if (h.equals("Range")) {
                    ranges.add(path + " " + v);
                }
            }
        }
        try {
            HttpResponse<InputStream> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            for (String h : List.of("Content-Type", "Docker-Content-Digest", "Content-Range")) {
                r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
            }
            long length = r.headers().firstValueAsLong("Content-Length").orElse(0);
            ex.sendResponseHeaders(r.statusCode(), length == 0 ? -1 : length);
            boolean blob = path.contains("/blobs/");
            try (InputStream in = r.body(); OutputStream out = ex.getResponseBody()) {
                byte[] buf = new byte[8192];
                long sent = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (blob && stallAfter >= 0 && sent + n > stallAfter) {
                        out.write(buf, 0, (int) Math.max(0, stallAfter - sent));
                        out.flush();
                        Thread.sleep(600_000); // stall: the client must give up on its own
                    }
                    out.write(buf, 0, n);
                    sent += n;
                    if (blob && bytesPerSecond > 0) {
                        out.flush();
                        Thread.sleep(Math.max(1, n * 1000L / bytesPerSecond));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
