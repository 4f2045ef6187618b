package io.krunbox.build.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.build.context.BuildContext;
import io.krunbox.build.dockerfile.DockerfileException;
import io.krunbox.build.dockerfile.DockerfileParser;
import io.krunbox.build.dockerfile.Instruction;
import io.krunbox.build.dockerfile.Stages;
import io.krunbox.build.dockerfile.Words;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.Platform;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.ImageResolver;
import io.krunbox.runtime.image.Images;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an image from a Dockerfile: the stages the target needs, in order; each instruction
 * after substitution; each RUN in a box ({@link RunStep}), each COPY or ADD a layer of the
 * context's or another stage's files ({@link CopyStep}); every layer-making step looked up in
 * the cache first (its key covers the step before it, the instruction as substituted, the
 * build args it sees and what it copies). The result is an image in the store, tagged.
 */
public final class ImageBuilder {
    static final String CACHE_DIR = "build-cache";
    private final KrunboxHome home;
    private final Images images;
    private final ImageResolver resolver;
    private final java.util.function.Supplier<io.krunbox.runtime.BoxRunner> runners;
    private io.krunbox.runtime.BoxRunner runner;
    final io.krunbox.runtime.Boxes boxes;
    final ImageAssembler assembler;

    /** {@code runners}: the runtime for RUN steps, made when the first step runs (a cached build needs none). */
    public ImageBuilder(KrunboxHome home, Images images, ImageResolver resolver,
                        java.util.function.Supplier<io.krunbox.runtime.BoxRunner> runners, io.krunbox.runtime.Boxes boxes) {
        this.home = home;
        this.images = images;
        this.resolver = resolver;
        this.runners = runners;
        this.boxes = boxes;
        this.assembler = new ImageAssembler(images);
    }

    /** The builder the CLI uses: the home's images and boxes, the demo image where the environment says, notices to {@code notices}. */
    public static ImageBuilder of(io.krunbox.runtime.Krunbox krunbox, java.io.PrintStream notices) {
        return new ImageBuilder(krunbox.home(), krunbox.images(), ImageResolver.fromEnvironment(),
                () -> krunbox.runner(notices), krunbox.boxes());
    }

    synchronized io.krunbox.runtime.BoxRunner runner() {
        if (runner == null) {
            runner = runners.get();
        }
        return runner;
    }

    KrunboxHome home() {
        return home;
    }

    Images images() {
        return images;
    }

    /** What a build did: the image, and how many steps ran and were taken from the cache. */
    public record Result(ImageStore.Record image, int ran, int cached) {}

    /** The Dockerfile read for a request: its stages, the platform, the global ARGs, the target stage. */
    private record Front(DockerfileParser.Parsed parsed, Stages stages, Platform platform, Map<String, String> global,
                         Stages.Stage target) {}

    private static Front front(BuildRequest req) {
        DockerfileParser.Parsed parsed = DockerfileParser.parse(req.dockerfileName(), req.dockerfile());
        Stages stages = Stages.of(parsed);
        Platform platform = req.platform() == null ? Platform.host() : Platform.parse(req.platform());
        Map<String, String> global = globalArgs(stages, req, platform);
        Stages.Stage target = req.target() == null ? stages.stages().get(stages.stages().size() - 1)
                : stages.find(req.target());
        if (target == null) {
            throw new BuildException("target stage \"" + req.target() + "\" is not in " + req.dockerfileName()
                    + ": name one of " + names(stages), 1);
        }
        return new Front(parsed, stages, platform, global, target);
    }

    public Result build(BuildRequest req) {
        Front read = front(req);
        DockerfileParser.Parsed parsed = read.parsed();
        Stages stages = read.stages();
        Platform platform = read.platform();
        Map<String, String> global = read.global();
        Stages.Stage target = read.target();
        BuildContext context;
        try {
            context = req.context() == null ? null : BuildContext.open(req.context(), null);
        } catch (IOException e) {
            throw new BuildException("cannot read the build context " + req.context() + ": " + e.getMessage(), e);
        }
        Path scratch;
        try {
            scratch = Files.createDirectories(home.root().resolve("tmp")).resolve("build-" + Long.toHexString(System.nanoTime()));
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new BuildException("cannot make the build's scratch directory under " + home.root() + ": " + e.getMessage(), e);
        }
        Counter counter = new Counter();
        try {
            Map<Integer, StageState> built = new java.util.concurrent.ConcurrentHashMap<>();
            List<Stages.Stage> order = needed(stages, target, global, parsed);
            int total = order.stream().mapToInt(s -> s.body().size() + 1).sum();
            Map<Integer, Integer> firstStep = new HashMap<>();
            int step = 0;
            for (Stages.Stage s : order) {
                firstStep.put(s.index(), step + 1);
                step += s.body().size() + 1;
            }
            // stages that do not need each other build at once, each wave after the stages it needs
            List<Stages.Stage> left = new ArrayList<>(order);
            while (!left.isEmpty()) {
                List<Stages.Stage> wave = new ArrayList<>();
                for (Stages.Stage s : left) {
                    if (built.keySet().containsAll(dependencies(s, stages, global, parsed))) {
                        wave.add(s);
                    }
                }
                left.removeAll(wave);
                if (wave.size() == 1) {
                    buildStage(wave.get(0), firstStep.get(wave.get(0).index()), total, stages, built, global, req, platform,
                            parsed, context, scratch, counter);
                    continue;
                }
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                        Math.min(wave.size(), Math.max(2, Runtime.getRuntime().availableProcessors())));
                try {
                    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
                    for (Stages.Stage s : wave) {
                        running.add(pool.submit(() -> {
                            buildStage(s, firstStep.get(s.index()), total, stages, built, global, req, platform, parsed,
                                    context, scratch, counter);
                            return null;
                        }));
                    }
                    for (java.util.concurrent.Future<?> f : running) {
                        try {
                            f.get();
                        } catch (java.util.concurrent.ExecutionException e) {
                            if (e.getCause() instanceof RuntimeException re) {
                                throw re;
                            }
                            throw new BuildException("the build failed: " + e.getCause().getMessage(), e.getCause());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new BuildException("the build was interrupted", e);
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            StageState finalState = built.get(target.index());
            req.labels().forEach((k, v) -> finalState.config().with("Labels").put(k, v));
            // the time of the last step: a build that changed nothing makes the same image (the same id)
            finalState.doc.put("created", finalState.lastCreated());
            ImageStore.Record image = assembler.write(finalState.doc, finalState.layers, req.tags());
            print(req, "COMMIT " + (req.tags().isEmpty() ? "" : req.tags().get(0)));
            return new Result(image, counter.ran.get(), counter.cached.get());
        } catch (IOException e) {
            throw new BuildException("the build failed: " + e.getMessage(), e);
        } finally {
            try {
                io.krunbox.oci.layer.LayerUnpacker.deleteTree(scratch);
            } catch (IOException e) {
                req.out().println("krunbox: could not remove the build's scratch directory " + scratch + ": " + e.getMessage());
            }
        }
    }

    /**
     * {@code build --dry-run}: the stages the target needs, in the order they are built, and each
     * step with its base and ARGs substituted where FROM takes them; nothing is run or pulled.
     */
    public List<String> plan(BuildRequest req) {
        Front read = front(req);
        DockerfileParser.Parsed parsed = read.parsed();
        Stages stages = read.stages();
        Platform platform = read.platform();
        Map<String, String> global = read.global();
        Stages.Stage target = read.target();
        List<Stages.Stage> order = needed(stages, target, global, parsed);
        List<String> out = new ArrayList<>();
        out.add("plan: build " + (req.tags().isEmpty() ? "(untagged)" : req.tags().get(0)) + " for " + platform.os() + "/"
                + platform.architecture() + ", " + order.size() + " of " + stages.stages().size() + " stages"
                + (req.context() == null ? ", no context" : ", context " + req.context()));
        int step = 0;
        int total = order.stream().mapToInt(s -> s.body().size() + 1).sum();
        for (Stages.Stage s : order) {
            String base = new Words(parsed.escape(), global::get, parsed.file(), s.from().line(), s.from().column()).word(s.base());
            out.add(String.format("%4d/%d stage %s: FROM %s", ++step, total, s.name() != null ? s.name() : s.index(), base));
            for (Instruction in : s.body()) {
                String what = switch (in.keyword()) {
                    case "RUN" -> "runs in a box (" + (req.isolation() == null ? "the runtime's isolation" : req.isolation())
                            + ", network " + in.flag("network").orElse(req.network()) + "); its changes a layer";
                    case "COPY", "ADD" -> "a layer of " + in.flag("from").map(f -> "stage or image " + f).orElse("the context");
                    default -> "config";
                };
                out.add(String.format("%4d/%d   %s %s  -> %s", ++step, total, in.keyword(), in.args().trim(), what));
            }
        }
        return out;
    }

    /** One stage, from its FROM to its last step: what a wave runs, on a thread of its own when there are several. */
    private void buildStage(Stages.Stage s, int first, int total, Stages stages, Map<Integer, StageState> built,
                            Map<String, String> global, BuildRequest req, Platform platform, DockerfileParser.Parsed parsed,
                            BuildContext context, Path scratch, Counter counter) throws IOException {
        int step = first;
        StageState state = base(s, stages, built, global, req, platform, parsed, step, total);
        StepContext ctx = new StepContext(req, parsed, stages, built, context, scratch, platform, global, counter);
        // the base's ONBUILD triggers run first, in this build, and are not passed on
        var triggers = state.config().remove("OnBuild");
        if (triggers != null) {
            for (var t : triggers) {
                DockerfileParser.Parsed tp = DockerfileParser.parse(req.dockerfileName() + " (ONBUILD of " + s.base() + ")",
                        t.asText());
                for (Instruction in : tp.instructions()) {
                    print(req, "STEP " + step + "/" + total + ": ONBUILD " + in.keyword() + " " + in.args());
                    apply(in, state, new StepContext(req, tp, stages, built, context, scratch, platform, global, counter));
                }
            }
        }
        for (Instruction in : s.body()) {
            step++;
            print(req, "STEP " + step + "/" + total + ": " + in.keyword() + (in.flags().isEmpty() ? "" : " "
                    + String.join(" ", in.flags().stream().map(Object::toString).toList())) + " " + in.args());
            apply(in, state, ctx);
        }
        built.put(s.index(), state);
    }

    /** What a stage names that may be another stage: its base (substituted), COPY --from and RUN --mount from=. */
    private static List<String> refs(Stages.Stage s, Map<String, String> global, DockerfileParser.Parsed p) {
        List<String> refs = new ArrayList<>();
        refs.add(new Words(p.escape(), global::get, p.file(), s.from().line(), s.from().column()).word(s.base()));
        for (Instruction in : s.body()) {
            in.flag("from").ifPresent(refs::add);
            for (String m : in.flagValues("mount")) {
                for (String kv : m.split(",")) {
                    if (kv.startsWith("from=")) {
                        refs.add(kv.substring(5));
                    }
                }
            }
        }
        return refs;
    }

    /** The stages {@code s} needs built first: its base, COPY --from and RUN --mount from= stages. */
    private static Set<Integer> dependencies(Stages.Stage s, Stages stages, Map<String, String> global,
                                             DockerfileParser.Parsed p) {
        Set<Integer> out = new java.util.HashSet<>();
        List<String> refs = refs(s, global, p);
        for (String r : refs) {
            Stages.Stage dep = stages.find(r);
            if (dep != null && dep.index() < s.index()) {
                out.add(dep.index());
            }
        }
        return out;
    }

    static final class Counter {
        final java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger cached = new java.util.concurrent.atomic.AtomicInteger();
    }

    /** What the steps of one stage share. */
    record StepContext(BuildRequest req, DockerfileParser.Parsed parsed, Stages stages, Map<Integer, StageState> built,
                       BuildContext context, Path scratch, Platform platform, Map<String, String> global, Counter counter) {}

    private static String names(Stages stages) {
        List<String> n = new ArrayList<>();
        stages.stages().forEach(s -> n.add(s.name() != null ? s.name() : Integer.toString(s.index())));
        return String.join(", ", n);
    }

    /** The ARGs before the first FROM, with the predefined platform ones, as FROM sees them. */
    private static Map<String, String> globalArgs(Stages stages, BuildRequest req, Platform platform) {
        Map<String, String> out = new LinkedHashMap<>(predefined(platform));
        for (Instruction in : stages.globalArgs()) {
            declare(in, out, req.buildArgs(), stages.parsed(), out::get);
        }
        return out;
    }

    static Map<String, String> predefined(Platform target) {
        Platform host = Platform.host();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("BUILDPLATFORM", host.os() + "/" + host.architecture());
        m.put("BUILDOS", host.os());
        m.put("BUILDARCH", host.architecture());
        m.put("TARGETPLATFORM", target.os() + "/" + target.architecture());
        m.put("TARGETOS", target.os());
        m.put("TARGETARCH", target.architecture());
        m.put("TARGETVARIANT", "");
        return m;
    }

    /** ARG name[=default] ...: each name gets the build arg's value, else its default, else what {@code outer} had. */
    private static void declare(Instruction in, Map<String, String> into, Map<String, String> buildArgs,
                                DockerfileParser.Parsed p, java.util.function.Function<String, String> outer) {
        Words w = new Words(p.escape(), into::get, p.file(), in.line(), in.column());
        List<String> words = w.split(in.args());
        if (words.isEmpty()) {
            throw new DockerfileException(p.file(), in.line(), in.column(), "ARG needs a name: ARG NAME[=DEFAULT]");
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new DockerfileException(p.file(), in.line(), in.column(), "\"" + name + "\" is not an ARG name");
            }
            String value = buildArgs.containsKey(name) ? buildArgs.get(name) : eq >= 0 ? word.substring(eq + 1) : outer.apply(name);
            if (value != null) {
                into.put(name, value);
            } else {
                into.remove(name);
                into.put(name, null);
            }
        }
    }

    /** The stages the target needs (FROM another stage, COPY --from, RUN --mount from=), in file order. */
    private static List<Stages.Stage> needed(Stages stages, Stages.Stage target, Map<String, String> global,
                                             DockerfileParser.Parsed p) {
        Set<Integer> want = new LinkedHashSet<>();
        List<Stages.Stage> todo = new ArrayList<>(List.of(target));
        while (!todo.isEmpty()) {
            Stages.Stage s = todo.remove(todo.size() - 1);
            if (!want.add(s.index())) {
                continue;
            }
            List<String> refs = refs(s, global, p);
            for (String r : refs) {
                Stages.Stage dep = stages.find(r);
                if (dep != null && dep.index() < s.index()) {
                    todo.add(dep);
                } else if (dep != null && dep.index() >= s.index()) {
                    throw new DockerfileException(p.file(), s.from().line(), s.from().column(), "stage " + s.index()
                            + " uses stage \"" + r + "\", which comes after it: a stage can only use those before it");
                }
            }
        }
        List<Stages.Stage> out = new ArrayList<>();
        for (Stages.Stage s : stages.stages()) {
            if (want.contains(s.index())) {
                out.add(s);
            }
        }
        return out;
    }

    private StageState base(Stages.Stage s, Stages stages, Map<Integer, StageState> built, Map<String, String> global,
                            BuildRequest req, Platform platform, DockerfileParser.Parsed p, int step, int total)
            throws IOException {
        String ref = new Words(p.escape(), global::get, p.file(), s.from().line(), s.from().column()).word(s.base());
        print(req, "STEP " + step + "/" + total + ": FROM " + ref + (s.name() == null ? "" : " AS " + s.name()));
        Stages.Stage dep = stages.find(ref);
        StageState state;
        if (dep != null && dep.index() < s.index()) {
            state = built.get(dep.index()).copy();
        } else if (ref.equals("scratch")) {
            ObjectNode doc = ImageJson.JSON.createObjectNode().put("architecture", platform.architecture()).put("os", platform.os());
            doc.putObject("config");
            state = new StageState(doc, sha("scratch " + platform));
        } else {
            Image image;
            ObjectNode doc;
            try {
                if (ImageResolver.isLocal(ref)) {
                    image = resolver.resolve(ref);
                    doc = ImageAssembler.configOf(image.config());
                } else {
                    ImageStore.Record r = req.pull() ? images.pull(ref, platform, null)
                            : images.find(ref).orElseGet(() -> images.pull(ref, platform, null));
                    image = images.image(r, ref);
                    doc = assembler.configOf(r);
                }
            } catch (RuntimeException e) {
                throw new DockerfileException(p.file(), s.from().line(), s.from().column(), "base image \"" + ref
                        + "\": " + e.getMessage());
            }
            state = new StageState(doc, sha("image " + image.manifestDigest()));
            for (Image.Layer l : image.layers()) {
                state.layers.add(assembler.adopt(l, ref));
            }
            doc.remove("rootfs");
        }
        // the global ARGs are not in a stage's scope until it declares them again
        return state;
    }

    /** Carries out one instruction on the stage. */
    void apply(Instruction in, StageState state, StepContext ctx) throws IOException {
        DockerfileParser.Parsed p = ctx.parsed();
        Words words = new Words(p.escape(), state::lookup, p.file(), in.line(), in.column());
        String createdBy = in.keyword() + " " + in.args();
        switch (in.keyword()) {
            case "ARG" -> {
                declare(in, state.args, ctx.req().buildArgs(), p, ctx.global()::get);
                state.cacheKey = sha(state.cacheKey + "\nARG " + state.args);
                return;
            }
            case "ENV" -> {
                List<String> w = words.split(in.args());
                if (w.isEmpty()) {
                    throw err(p, in, "ENV needs a value: ENV NAME=VALUE");
                }
                if (!w.get(0).contains("=")) {
                    // the old form: ENV NAME the rest of the line
                    String rest = in.args().trim().substring(in.args().trim().indexOf(w.get(0)) + w.get(0).length()).trim();
                    state.setEnv(w.get(0), words.word(rest));
                } else {
                    for (String kv : w) {
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw err(p, in, "\"" + kv + "\" is not NAME=VALUE");
                        }
                        state.setEnv(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
            case "LABEL" -> {
                for (String kv : words.split(in.args())) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw err(p, in, "LABEL takes KEY=VALUE pairs, not \"" + kv + "\"");
                    }
                    state.config().with("Labels").put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            case "MAINTAINER" -> state.doc.put("author", words.word(in.args().trim()));
            case "WORKDIR" -> {
                String dir = words.word(in.args().trim());
                if (dir.isEmpty()) {
                    throw err(p, in, "WORKDIR needs a directory");
                }
                String abs = dir.startsWith("/") ? dir : Path.of(state.workdir()).resolve(dir).normalize().toString();
                state.config().put("WorkingDir", abs);
                ensureDirectory(abs, state, ctx, in);
            }
            case "USER" -> {
                String user = words.word(in.args().trim());
                if (user.isEmpty()) {
                    throw err(p, in, "USER needs a user: USER NAME[:GROUP] or UID[:GID]");
                }
                state.config().put("User", user);
            }
            case "EXPOSE" -> {
                for (String port : words.split(in.args())) {
                    if (!port.matches("[0-9]{1,5}(-[0-9]{1,5})?(/(tcp|udp|sctp))?")) {
                        throw err(p, in, "\"" + port + "\" is not a port: write PORT or PORT/tcp or PORT/udp");
                    }
                    state.config().with("ExposedPorts").putObject(port.contains("/") ? port : port + "/tcp");
                }
            }
            case "VOLUME" -> {
                List<String> vols = in.execForm() ? in.json() : words.split(in.args());
                if (vols.isEmpty()) {
                    throw err(p, in, "VOLUME needs a path");
                }
                vols.forEach(v -> state.config().with("Volumes").putObject(v));
            }
            case "STOPSIGNAL" -> state.config().put("StopSignal", words.word(in.args().trim()));
            case "SHELL" -> {
                if (!in.execForm() || in.json().isEmpty()) {
                    throw err(p, in, "SHELL takes the JSON form: SHELL [\"/bin/bash\", \"-c\"]");
                }
                state.shell = in.json();
                state.config().putArray("Shell").addAll(strings(in.json()));
            }
            case "CMD", "ENTRYPOINT" -> {
                List<String> argv = in.execForm() ? in.json() : withShell(state.shell, in.args().trim());
                state.config().set(in.keyword().equals("CMD") ? "Cmd" : "Entrypoint", strings(argv));
                if (in.keyword().equals("CMD")) {
                    state.cmdSet = true;
                } else if (!state.cmdSet) {
                    state.config().remove("Cmd"); // an ENTRYPOINT drops the CMD the base image had
                }
            }
            case "HEALTHCHECK" -> state.config().set("Healthcheck", healthcheck(in, state, p));
            case "ONBUILD" -> {
                if (in.args().isBlank()) {
                    throw err(p, in, "ONBUILD needs an instruction");
                }
                String inner = in.args().trim().split("\\s+")[0].toUpperCase(java.util.Locale.ROOT);
                if (Set.of("ONBUILD", "FROM", "MAINTAINER").contains(inner)) {
                    throw err(p, in, "ONBUILD cannot trigger " + inner);
                }
                state.config().withArray("OnBuild").add(in.args().trim());
            }
            case "RUN" -> {
                new RunStep(this, ctx, state, in).run();
                state.history(createdBy, false, state.layerCreated());
                return;
            }
            case "COPY", "ADD" -> {
                new CopyStep(this, ctx, state, in, words).run();
                state.history(createdBy, false, state.layerCreated());
                return;
            }
            default -> throw err(p, in, in.keyword() + " is not supported");
        }
        state.cacheKey = sha(state.cacheKey + "\n" + in.keyword() + " " + state.config());
        state.history(createdBy, true, state.lastCreated());
    }

    /** WORKDIR makes its directory when the stage does not have it (a layer of its own). */
    private void ensureDirectory(String abs, StageState state, StepContext ctx, Instruction in) throws IOException {
        if (StageRoot.isDirectoryIn(layerDirs(state), abs)) {
            return;
        }
        Path tmp = Files.createTempFile(ctx.scratch(), "layer-", ".tar.gz");
        try (LayerTar tar = new LayerTar(tmp, null)) {
            String rel = abs.replaceFirst("^/+", "");
            StringBuilder prefix = new StringBuilder();
            for (String part : rel.split("/")) {
                prefix.append(prefix.length() == 0 ? "" : "/").append(part);
                tar.addDirectory(prefix.toString(), 0, 0, 0755, Instant.EPOCH);
            }
            ImageAssembler.Layer l = assembler.add(tar.finish(), "WORKDIR " + abs);
            state.layers.add(new ImageAssembler.Layer(l.blob(), l.diffId(), state.lastCreated()));
        }
    }

    List<Path> layerDirs(StageState state) {
        List<Path> dirs = new ArrayList<>();
        for (int i = state.layers.size() - 1; i >= 0; i--) {
            ImageAssembler.Layer l = state.layers.get(i);
            dirs.add(images.layers().pathOf(new Image.Layer(l.blob(), l.diffId(), images.blobs().path(l.blob().digest()))));
        }
        return dirs;
    }

    private static ObjectNode healthcheck(Instruction in, StageState state, DockerfileParser.Parsed p) {
        ObjectNode h = ImageJson.JSON.createObjectNode();
        String args = in.args().trim();
        if (args.equalsIgnoreCase("NONE")) {
            h.putArray("Test").add("NONE");
            return h;
        }
        if (!args.toUpperCase(java.util.Locale.ROOT).startsWith("CMD")) {
            throw err(p, in, "HEALTHCHECK takes CMD COMMAND or NONE");
        }
        ArrayNode test = h.putArray("Test");
        if (in.json() != null) {
            test.add("CMD");
            in.json().forEach(test::add);
        } else {
            test.add("CMD-SHELL").add(args.substring(3).trim());
        }
        for (var f : in.flags()) {
            switch (f.name()) {
                case "interval" -> h.put("Interval", nanos(f.value(), p, in));
                case "timeout" -> h.put("Timeout", nanos(f.value(), p, in));
                case "start-period" -> h.put("StartPeriod", nanos(f.value(), p, in));
                case "start-interval" -> h.put("StartInterval", nanos(f.value(), p, in));
                case "retries" -> {
                    if (!f.value().matches("[0-9]{1,4}")) {
                        throw err(p, in, "--retries must be a number");
                    }
                    h.put("Retries", Integer.parseInt(f.value()));
                }
                default -> throw err(p, in, "HEALTHCHECK has no flag --" + f.name()
                        + ": use --interval, --timeout, --start-period, --start-interval, --retries");
            }
        }
        return h;
    }

    private static long nanos(String d, DockerfileParser.Parsed p, Instruction in) {
        try {
            return io.krunbox.runtime.model.Durations.parse(d).toNanos();
        } catch (IllegalArgumentException e) {
            throw err(p, in, e.getMessage());
        }
    }

    static List<String> withShell(List<String> shell, String command) {
        List<String> argv = new ArrayList<>(shell);
        argv.add(command);
        return argv;
    }

    static ArrayNode strings(List<String> items) {
        ArrayNode a = ImageJson.JSON.createArrayNode();
        items.forEach(a::add);
        return a;
    }

    static DockerfileException err(DockerfileParser.Parsed p, Instruction in, String message) {
        return new DockerfileException(p.file(), in.line(), in.column(), message);
    }

    static void print(BuildRequest req, String line) {
        if (!req.quiet()) {
            req.out().println(line);
        }
    }

    static String sha(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A layer-making step whose key the cache holds: its layer taken, nothing run; false on a miss (or --no-cache). */
    boolean reuse(String key, StageState state, StepContext ctx) {
        if (ctx.req().noCache()) {
            return false;
        }
        ImageAssembler.Layer hit = cached(key);
        if (hit == null) {
            return false;
        }
        print(ctx.req(), "--> Using cache " + hit.diffId().shortHex());
        state.layers.add(hit);
        state.cacheKey = key;
        ctx.counter().cached.incrementAndGet();
        return true;
    }

    /** The cached layer of {@code key}, if the cache has one whose blob is still whole. */
    ImageAssembler.Layer cached(String key) {
        Path f = home.root().resolve(CACHE_DIR).resolve(key);
        try {
            String[] parts = Files.readString(f).trim().split(" ");
            ImageAssembler.Layer l = new ImageAssembler.Layer(new Descriptor(parts[3], Digest.parse(parts[0]),
                    Long.parseLong(parts[2]), Map.of()), Digest.parse(parts[1]), parts.length > 4 ? parts[4] : null);
            return assembler.holds(l) ? l : null;
        } catch (IOException | RuntimeException none) {
            return null;
        }
    }

    void remember(String key, ImageAssembler.Layer l) throws IOException {
        Path dir = Files.createDirectories(home.root().resolve(CACHE_DIR));
        Path tmp = Files.createTempFile(dir, ".entry", "");
        Files.writeString(tmp, l.blob().digest() + " " + l.diffId() + " " + l.blob().size() + " " + l.blob().mediaType()
                + " " + (l.created() != null ? l.created() : Instant.now().toString()) + "\n");
        Files.move(tmp, dir.resolve(key), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code builder prune}: the build cache and the cache mounts; returns how many entries went. */
    public static int prune(KrunboxHome home) throws IOException {
        int n = 0;
        for (String d : List.of(CACHE_DIR, RunStep.CACHE_MOUNTS)) {
            Path dir = home.root().resolve(d);
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    n += (int) s.count();
                }
                io.krunbox.oci.layer.LayerUnpacker.deleteTree(dir);
            }
        }
        return n;
    }
}
