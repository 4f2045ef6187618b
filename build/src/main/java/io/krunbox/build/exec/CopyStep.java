package io.krunbox.build.exec;

import io.krunbox.build.context.BuildContext;
import io.krunbox.build.dockerfile.Heredoc;
import io.krunbox.build.dockerfile.Instruction;
import io.krunbox.build.dockerfile.Stages;
import io.krunbox.build.dockerfile.Words;
import io.krunbox.oci.Image;
import io.krunbox.runtime.image.ImageResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * COPY and ADD: files of the context (or of another stage or image with {@code --from}, or
 * here-documents) become a layer, owned by root or {@code --chown}, with their modes or
 * {@code --chmod}, their parent directories as the stage has them. ADD also unpacks a local
 * tar archive into the destination. Sources never leave the context or the stage they come
 * from; links are copied as links.
 */
final class CopyStep {
    private final ImageBuilder builder;
    private final ImageBuilder.StepContext ctx;
    private final StageState state;
    private final Instruction in;
    private final Words words;

    /** One entry of the layer: a file of the host, bytes, or a directory that must exist. */
    private record Entry(Path source, byte[] bytes, Integer mode) {}

    CopyStep(ImageBuilder builder, ImageBuilder.StepContext ctx, StageState state, Instruction in, Words words) {
        this.builder = builder;
        this.ctx = ctx;
        this.state = state;
        this.in = in;
        this.words = words;
    }

    void run() throws IOException {
        boolean add = in.keyword().equals("ADD");
        for (var f : in.flags()) {
            if (!List.of("from", "chown", "chmod", "link", "checksum", "keep-git-dir").contains(f.name())) {
                throw ImageBuilder.err(ctx.parsed(), in, in.keyword() + " has no flag --" + f.name()
                        + ": use --from, --chown, --chmod or --link");
            }
        }
        List<String> args = in.execForm() ? in.json() : words.split(in.args());
        if (args.size() < 2) {
            throw ImageBuilder.err(ctx.parsed(), in, in.keyword() + " needs a source and a destination: "
                    + in.keyword() + " SRC... DEST");
        }
        String destWord = args.get(args.size() - 1);
        List<String> sources = args.subList(0, args.size() - 1);
        String dest = destWord.startsWith("/") ? destWord : state.workdir().replaceAll("/+$", "") + "/" + destWord;
        boolean destIsDir = destWord.endsWith("/") || sources.size() > 1;
        Integer chmod = null;
        if (in.flag("chmod").isPresent()) {
            String m = in.flag("chmod").get();
            if (!m.matches("[0-7]{3,4}")) {
                throw ImageBuilder.err(ctx.parsed(), in, "--chmod=" + m + " is not an octal mode such as 755");
            }
            chmod = Integer.parseInt(m, 8);
        }
        StageRoot from = null;
        StageRoot.Lazy here = new StageRoot.Lazy(builder.layerDirs(state), ctx.scratch());
        try {
            String fromKey = "context";
            if (in.flag("from").isPresent()) {
                String ref = in.flag("from").get();
                Stages.Stage s = ctx.stages().find(ref);
                StageState other;
                if (s != null) {
                    other = ctx.built().get(s.index());
                    if (other == null) {
                        throw ImageBuilder.err(ctx.parsed(), in, "--from=" + ref + " names a stage not built before this one");
                    }
                } else {
                    other = imageState(ref);
                }
                from = StageRoot.open(builder.layerDirs(other), ctx.scratch());
                fromKey = other.cacheKey;
            }
            int uid = 0;
            int gid = 0;
            if (in.flag("chown").isPresent()) {
                String[] ug = in.flag("chown").get().split(":", 2);
                Integer u = ug[0].matches("[0-9]{1,9}") ? Integer.valueOf(ug[0]) : here.get().id(ug[0], false);
                Integer g = ug.length > 1 ? (ug[1].matches("[0-9]{1,9}") ? Integer.valueOf(ug[1]) : here.get().id(ug[1], true))
                        : ug[0].matches("[0-9]+") ? u : here.get().primaryGroup(ug[0]);
                if (u == null || g == null) {
                    throw ImageBuilder.err(ctx.parsed(), in, "--chown=" + in.flag("chown").get()
                            + ": no such user or group in the stage's /etc/passwd and /etc/group; give numbers instead");
                }
                uid = u;
                gid = g;
            }
            // target path (relative to the root) -> what goes there
            TreeMap<String, Entry> entries = new TreeMap<>();
            StringBuilder keyed = new StringBuilder();
            List<Path> unpack = new ArrayList<>();
            for (String src : sources) {
                Heredoc doc = heredoc(src);
                if (doc != null) {
                    String target = destIsDir || entries.isEmpty() && sources.size() == 1 && destWord.endsWith("/")
                            ? dest + "/" + doc.name() : dest;
                    byte[] body = (doc.expand() ? words.word(doc.body().replace("\"", "\\\"")) : doc.body())
                            .getBytes(StandardCharsets.UTF_8);
                    entries.put(rel(target), new Entry(null, body, chmod != null ? chmod : 0644));
                    keyed.append("heredoc ").append(new String(body, StandardCharsets.UTF_8)).append('\n');
                    continue;
                }
                if (add && src.matches("https?://.*")) {
                    Path fetched = fetch(src, in.flag("checksum").orElse(null));
                    String target = destIsDir ? dest + "/" + fetched.getFileName() : dest;
                    entries.put(rel(target), new Entry(fetched, null, chmod != null ? chmod : 0600));
                    keyed.append("url ").append(src).append(' ').append(BuildContext.digest(
                            List.of(new BuildContext.Source(fetched.getFileName().toString(), fetched)))).append('\n');
                    continue;
                }
                List<BuildContext.Source> found = from != null ? fromStage(from, src) : context().resolve(src);
                keyed.append(BuildContext.digest(found)).append('\n');
                boolean single = found.size() == 1 && !Files.isDirectory(found.get(0).path(), LinkOption.NOFOLLOW_LINKS);
                for (BuildContext.Source s : found) {
                    if (s.rel().isEmpty()) {
                        entries.putIfAbsent(rel(dest), new Entry(s.path(), null, chmod));
                        continue;
                    }
                    boolean glob = src.matches(".*[*?\\[].*");
                    String name = glob ? Path.of(s.rel()).getFileName().toString() : s.rel();
                    String target = single && !destIsDir ? dest : dest + "/" + name;
                    if (add && single && from == null && isArchive(s.path())) {
                        unpack.add(s.path());
                        continue;
                    }
                    entries.put(rel(target), new Entry(s.path(), null, chmod));
                }
            }
            String key = ImageBuilder.sha(state.cacheKey + "\n" + in.keyword() + " " + in.flags() + " " + dest + " from "
                    + fromKey + " uid " + uid + " gid " + gid + "\n" + keyed);
            if (builder.reuse(key, state, ctx)) {
                return;
            }
            Path tmp = Files.createTempFile(ctx.scratch(), "layer-", ".tar.gz");
            try (LayerTar tar = new LayerTar(tmp, LayerTar.clampFrom(ctx.req().buildArgs().get("SOURCE_DATE_EPOCH")))) {
                java.util.Set<String> made = new java.util.HashSet<>();
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    parents(tar, here.get(), e.getKey(), made);
                    Entry en = e.getValue();
                    if (en.bytes() != null) {
                        tar.addBytes(e.getKey(), en.bytes(), uid, gid, en.mode(), Instant.now());
                    } else {
                        tar.add(e.getKey(), en.source(), new LayerTar.Attrs(uid, gid, en.mode()));
                    }
                    made.add(e.getKey());
                }
                for (Path archive : unpack) {
                    parents(tar, here.get(), rel(dest) + "/x", made);
                    untar(tar, archive, rel(dest), made, ctx.scratch());
                }
                ImageAssembler.Layer written = builder.assembler.add(tar.finish(), in.keyword());
                ImageAssembler.Layer layer = new ImageAssembler.Layer(written.blob(), written.diffId(), java.time.Instant.now().toString());
                builder.remember(key, layer);
                state.layers.add(layer);
                state.cacheKey = key;
            }
            ctx.counter().ran.incrementAndGet();
        } catch (IllegalArgumentException e) {
            if (e instanceof io.krunbox.build.dockerfile.DockerfileException) {
                throw e;
            }
            throw ImageBuilder.err(ctx.parsed(), in, e.getMessage());
        } finally {
            here.close();
            if (from != null) {
                from.close();
            }
        }
    }

    /** ADD URL: fetched into the build's scratch directory, checked against --checksum=sha256:HEX when given. */
    private Path fetch(String url, String checksum) throws IOException {
        if (checksum != null && !checksum.matches("sha256:[0-9a-f]{64}")) {
            throw ImageBuilder.err(ctx.parsed(), in, "--checksum=" + checksum + " is not sha256:<64 hex digits>");
        }
        String name = java.net.URI.create(url).getPath().replaceFirst(".*/", "");
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = "download";
        }
        Path dir = Files.createTempDirectory(ctx.scratch(), "add-url-");
        Path file = dir.resolve(name);
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).connectTimeout(java.time.Duration.ofSeconds(30)).build();
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .timeout(java.time.Duration.ofMinutes(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw ImageBuilder.err(ctx.parsed(), in, "ADD " + url + ": the server answered HTTP " + r.statusCode());
            }
            try (InputStream body = new java.security.DigestInputStream(r.body(), md)) {
                Files.copy(body, file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + url, e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (java.net.ConnectException e) {
            throw ImageBuilder.err(ctx.parsed(), in, "ADD " + url + ": cannot connect (" + e.getMessage() + ")");
        }
        String got = "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
        if (checksum != null && !checksum.equals(got)) {
            throw ImageBuilder.err(ctx.parsed(), in, "ADD " + url + ": the download's digest is " + got + ", not the "
                    + "--checksum " + checksum);
        }
        return file;
    }

    private BuildContext context() {
        if (ctx.context() == null) {
            throw ImageBuilder.err(ctx.parsed(), in, in.keyword() + " from the context needs a context: give a"
                    + " directory, not - (a Dockerfile on stdin)");
        }
        return ctx.context();
    }

    private Heredoc heredoc(String word) {
        if (!word.startsWith("<<")) {
            return null;
        }
        String name = word.replaceFirst("^<<-?[\"']?", "").replaceFirst("[\"']$", "");
        return in.heredocs().stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
    }

    /** An image named by --from: pulled or found, its layers in the cache. */
    private StageState imageState(String ref) throws IOException {
        Image image;
        try {
            image = ImageResolver.isLocal(ref) ? ImageResolver.fromEnvironment().resolve(ref)
                    : builder.images().resolveOrPull(ref, null);
        } catch (RuntimeException e) {
            throw ImageBuilder.err(ctx.parsed(), in, "--from=" + ref + " is neither a stage nor an image that can be had: "
                    + e.getMessage());
        }
        StageState s = new StageState(io.krunbox.oci.ImageJson.JSON.createObjectNode(), "image " + image.manifestDigest());
        for (Image.Layer l : image.layers()) {
            s.layers.add(builder.assembler.adopt(l, ref));
        }
        return s;
    }

    /** What {@code src} names in another stage: resolved inside it, a directory's contents walked without following links. */
    private static List<BuildContext.Source> fromStage(StageRoot root, String src) throws IOException {
        Path p = root.resolve(src, true);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("\"" + src + "\" is not in the stage or image COPY --from names");
        }
        List<BuildContext.Source> out = new ArrayList<>();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            out.add(new BuildContext.Source("", p));
            try (Stream<Path> all = Files.walk(p)) {
                for (Path q : all.sorted().toList()) {
                    if (!q.equals(p)) {
                        out.add(new BuildContext.Source(p.relativize(q).toString(), q));
                    }
                }
            }
        } else {
            out.add(new BuildContext.Source(p.getFileName().toString(), p));
        }
        return out;
    }

    /** The directories above {@code rel}: as the stage has them, or made (root, 0755) when it has none. */
    private static void parents(LayerTar tar, StageRoot here, String rel, java.util.Set<String> made) throws IOException {
        String[] parts = rel.split("/");
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            p.append(p.length() == 0 ? "" : "/").append(parts[i]);
            String dir = p.toString();
            if (!made.add(dir)) {
                continue;
            }
            Path existing = here.resolve("/" + dir, false);
            if (Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
                tar.add(dir, existing, LayerTar.Attrs.KEEP);
            } else {
                tar.addDirectory(dir, 0, 0, 0755, Instant.now());
            }
        }
    }

    private static String rel(String abs) {
        return Path.of(abs).normalize().toString().replaceFirst("^/+", "");
    }

    private static boolean isArchive(Path p) throws IOException {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        }
        boolean gzip = n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        boolean tar = n >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        return gzip || tar;
    }

    /** ADD of a local archive: its entries, under {@code destRel}, checked not to climb out of it. */
    private static void untar(LayerTar tar, Path archive, String destRel, java.util.Set<String> made, Path scratch)
            throws IOException {
        Path staging = Files.createTempDirectory(scratch, "add-");
        try {
            try (InputStream in = Files.newInputStream(archive)) {
                // the runtime's unpacker: entries that climb out, absolute links and the like are refused
                new io.krunbox.oci.layer.LayerUnpacker(io.krunbox.oci.layer.LayerUnpacker.Whiteouts.DELETE, s -> { })
                        .unpack(in, staging, null, "ADD " + archive.getFileName());
            }
            try (Stream<Path> all = Files.walk(staging)) {
                for (Path q : all.sorted().toList()) {
                    if (q.equals(staging)) {
                        continue;
                    }
                    String target = destRel + "/" + staging.relativize(q);
                    if (made.add(target)) {
                        tar.add(target, q, LayerTar.Attrs.KEEP);
                    }
                }
            }
        } finally {
            io.krunbox.oci.layer.LayerUnpacker.deleteTree(staging);
        }
    }
}
