package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.build.exec.BuildException;
import io.krunbox.build.exec.BuildRequest;
import io.krunbox.build.exec.ImageBuilder;
import io.krunbox.oci.ImageReference;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox build}: an image from a Dockerfile, each RUN in a box. */
@Command(name = "build", mixinStandardHelpOptions = true, description = "Build an image from a Dockerfile.")
public final class BuildCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The build context: a directory, or - for a Dockerfile on stdin and no context.")
    String context;

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name the image (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "DOCKERFILE", description = "The Dockerfile (default: CONTEXT/Dockerfile or Containerfile; - for stdin).")
    String file;

    @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "A build argument (KEY alone takes it from the environment).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage (and what it needs) only.")
    String target;

    @Option(names = "--no-cache", description = "Run every step; use no cached layer.")
    boolean noCache;

    @Option(names = "--pull", description = "Pull the base images even when they are held.")
    boolean pull;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "The platform to build for (default: this host's).")
    String platform;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label of the image (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "id=ID,src=PATH", description = "A secret for RUN --mount=type=secret,id=ID (repeatable).")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--network", paramLabel = "none|default", description = "The network of RUN steps (default: default).")
    String network = "default";

    @Option(names = "--progress", paramLabel = "auto|plain|quiet", description = "How much of the build to print (default: auto).")
    String progress = "auto";

    @Option(names = {"-q", "--quiet"}, description = "Print the image id only.")
    boolean quiet;

    @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image id to FILE.")
    Path iidfile;

    @Option(names = "--isolation", paramLabel = "vm|sandbox", description = "The isolation of the boxes RUN steps run in (default: as for run).")
    String isolation;

    @Option(names = "--dry-run", description = "Print the stages and steps the build would carry out, and do nothing.")
    boolean dryRun;

    @Mixin ImageOptions options;

    @Override
    public Integer call() throws Exception {
        PrintStream out = Invocation.current().out();
        PrintStream err = Invocation.current().err();
        Path contextDir = context.equals("-") ? null : Invocation.current().resolve(context);
        if (contextDir != null && !Files.isDirectory(contextDir)) {
            err.println("krunbox: build context \"" + context + "\" is not a directory: give the directory to build"
                    + " (or - for a Dockerfile on stdin)");
            return 125;
        }
        String name;
        String text;
        if (context.equals("-") || "-".equals(file)) {
            name = "Dockerfile";
            text = new String(Invocation.current().stdin().readAllBytes(), StandardCharsets.UTF_8);
        } else {
            Path df = file != null ? Invocation.current().resolve(file) : contextDir.resolve("Dockerfile");
            if (file == null && !Files.exists(df) && Files.exists(contextDir.resolve("Containerfile"))) {
                df = contextDir.resolve("Containerfile");
            }
            if (!Files.isRegularFile(df)) {
                err.println("krunbox: no Dockerfile at " + df + ": give one with -f FILE");
                return 125;
            }
            name = df.getFileName().toString();
            text = Files.readString(df);
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                String v = Invocation.current().env(a);
                if (v != null) {
                    args.put(a, v);
                }
            } else {
                args.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        String sde = Invocation.current().env("SOURCE_DATE_EPOCH");
        if (sde != null && !args.containsKey("SOURCE_DATE_EPOCH")) {
            args.put("SOURCE_DATE_EPOCH", sde);
        }
        Map<String, String> labelMap = BoxCommands.labelMap(labels);
        Map<String, Path> secretMap = new LinkedHashMap<>();
        for (String s : secrets) {
            String id = null;
            String src = null;
            for (String kv : s.split(",")) {
                if (kv.startsWith("id=")) {
                    id = kv.substring(3);
                } else if (kv.startsWith("src=") || kv.startsWith("source=")) {
                    src = kv.substring(kv.indexOf('=') + 1);
                }
            }
            if (id == null || src == null || !Files.isRegularFile(Invocation.current().resolve(src))) {
                err.println("krunbox: --secret " + s + ": write id=ID,src=PATH with PATH a file");
                return 125;
            }
            secretMap.put(id, Invocation.current().resolve(src));
        }
        List<ImageReference> refs = new ArrayList<>();
        for (String t : tags) {
            refs.add(ImageReference.parse(t));
        }
        BuildRequest req = new BuildRequest(name, text, contextDir, refs, args, target, noCache, pull, platform, labelMap,
                secretMap, network, quiet ? "quiet" : progress, isolation, quiet ? err : out);
        try (Krunbox krunbox = options.open()) {
            ImageBuilder builder = ImageBuilder.of(krunbox, err);
            if (dryRun) {
                builder.plan(req).forEach(out::println);
                return 0;
            }
            ImageBuilder.Result r;
            try {
                r = builder.build(req);
            } catch (BuildException e) {
                err.println("krunbox: " + e.getMessage());
                return e.exitCode() == 0 ? 1 : e.exitCode();
            }
            if (iidfile != null) {
                OutputFile.write(iidfile, o -> o.write(r.image().id().toString().getBytes(StandardCharsets.UTF_8)));
            }
            if (quiet) {
                out.println(r.image().id());
            } else {
                out.println("--> " + r.image().shortId() + " (" + r.ran() + " steps run, " + r.cached() + " from the cache)");
                for (ImageReference t : refs) {
                    out.println("Successfully tagged " + t);
                }
                out.println(r.image().id());
            }
        }
        return 0;
    }
}
