package io.krunbox.shell;

import io.krunbox.build.exec.BuildException;
import io.krunbox.build.exec.BuildRequest;
import io.krunbox.build.exec.ImageBuilder;
import io.krunbox.oci.ImageReference;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.model.BuildConfig;
import io.krunbox.runtime.model.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The images of a compose project's services that have {@code build:}: built as {@code krunbox build} would. */
final class ComposeBuilds {
    /** When to build: always ({@code --build}, {@code compose build}), when the image is missing, or never ({@code --no-build}). */
    enum When { ALWAYS, MISSING, NEVER }

    private ComposeBuilds() {}

    /** The services that are built, and (for MISSING) whose image is not held; NEVER with a missing image is an error. */
    static List<Topology.Service> due(Topology t, List<String> only, When when, Images images) {
        List<Topology.Service> out = new ArrayList<>();
        java.util.Set<String> images2 = new java.util.HashSet<>();
        for (Topology.Service s : t.services()) {
            if (s.build() == null || !(only.isEmpty() || only.contains(s.name())) || !images2.add(s.template().image())) {
                continue;
            }
            boolean held = images.find(s.template().image()).isPresent();
            if (when == When.NEVER && !held) {
                throw new BoxException("service " + s.name() + " has no image " + s.template().image()
                        + " and --no-build forbids building it: run compose build first");
            }
            if (when == When.ALWAYS || when == When.MISSING && !held) {
                out.add(s);
            }
        }
        return out;
    }

    /** Builds each service's image; returns 0, or the first failed build's code. */
    static int build(Topology t, List<Topology.Service> services, boolean noCache, boolean pull, boolean quiet,
                     io.krunbox.runtime.Krunbox krunbox, PrintStream err) throws IOException {
        if (services.isEmpty()) {
            return 0;
        }
        ImageBuilder builder = ImageBuilder.of(krunbox, err);
        for (Topology.Service s : services) {
            BuildConfig b = s.build();
            Path context = Path.of(b.context());
            String name;
            String text;
            if (b.dockerfileInline() != null) {
                name = "dockerfile_inline";
                text = b.dockerfileInline();
            } else {
                Path df = context.resolve(b.dockerfile() == null ? "Dockerfile" : b.dockerfile());
                if (!Files.isRegularFile(df)) {
                    err.println("krunbox: service " + s.name() + ": no Dockerfile at " + df
                            + ": give build.dockerfile, or put one in the context");
                    return 125;
                }
                name = df.getFileName().toString();
                text = Files.readString(df);
            }
            List<ImageReference> tags = new ArrayList<>(List.of(ImageReference.parse(s.template().image())));
            for (String tag : b.tags()) {
                tags.add(ImageReference.parse(tag));
            }
            Map<String, Path> secrets = new LinkedHashMap<>();
            b.secrets().forEach((id, source) -> t.secrets().stream().filter(x -> x.name().equals(source)
                    && x.file() != null).findFirst().ifPresent(x -> secrets.put(id, Path.of(x.file()))));
            if (!quiet) {
                err.println("building " + s.template().image() + " for service " + s.name() + " from " + context);
            }
            try {
                builder.build(new BuildRequest(name, text, context, tags, b.args(), b.target(), noCache || b.noCache(),
                        pull || b.pull(), null, b.labels(), secrets, "default", quiet ? "quiet" : "auto", null, err));
            } catch (BuildException e) {
                err.println("krunbox: service " + s.name() + ": " + e.getMessage());
                return e.exitCode() == 0 ? 1 : e.exitCode();
            }
        }
        return 0;
    }
}
