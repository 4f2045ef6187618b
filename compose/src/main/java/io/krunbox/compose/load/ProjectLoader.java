package io.krunbox.compose.load;

import io.krunbox.compose.yaml.ComposeException;
import io.krunbox.compose.yaml.Loc;
import io.krunbox.compose.yaml.YNode;
import io.krunbox.compose.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads a project: finds its files, reads {@code .env}, interpolates each file, applies
 * {@code include} and {@code extends}, merges the files in order, names the project and
 * drops the services of profiles not enabled. The result is one tree whose every node
 * still knows its file, line and column.
 */
public final class ProjectLoader {
    static final List<String> DEFAULT_FILES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");
    static final List<String> OVERRIDES = List.of("compose.override.yaml", "compose.override.yml",
            "docker-compose.override.yaml", "docker-compose.override.yml");

    /** A loaded project: its name, directory, merged tree, the files it came from and what the loader warned about. */
    public record Loaded(String name, Path directory, YNode.Mapping model, List<Path> files, List<String> warnings,
                         Map<String, String> environment, Set<String> profiles) {}

    private final LoadOptions options;
    private final List<String> warnings = new ArrayList<>();
    private final Map<Path, String> generated;

    public ProjectLoader(LoadOptions options) {
        this(options, Map.of());
    }

    /**
     * With documents that exist only in memory ({@code generated}: path → YAML text), such as
     * the compose form of a DSL script; they are read instead of the disk.
     */
    public ProjectLoader(LoadOptions options, Map<Path, String> generated) {
        this.options = options;
        this.generated = Map.copyOf(generated);
    }

    public Loaded load() {
        List<Path> files = files();
        Path dir = options.projectDirectory() != null ? io.krunbox.runtime.base.Invocation.current().resolve(options.projectDirectory())
                : io.krunbox.runtime.base.Invocation.current().resolve(files.get(0)).getParent();
        Map<String, String> env = new LinkedHashMap<>();
        List<Path> envFiles = options.envFiles().isEmpty() && Files.isRegularFile(dir.resolve(".env"))
                ? List.of(dir.resolve(".env")) : options.envFiles();
        for (Path f : envFiles) {
            env.putAll(DotEnv.read(f.isAbsolute() ? f : options.workingDirectory().resolve(f)));
        }
        env.putAll(options.environment()); // the shell wins over .env
        Interpolator interpolator = new Interpolator(env, warnings::add);
        YNode.Mapping merged = null;
        for (Path f : files) {
            YNode.Mapping one = readFile(f, interpolator, new HashSet<>());
            merged = merged == null ? one : (YNode.Mapping) Merger.merge(merged, one, "");
        }
        Extends.apply(merged, interpolator, this);
        String name = projectName(merged, dir, env);
        Set<String> profiles = new java.util.LinkedHashSet<>(options.profiles());
        if (profiles.isEmpty() && env.get("COMPOSE_PROFILES") != null && !env.get("COMPOSE_PROFILES").isBlank()) {
            for (String p : env.get("COMPOSE_PROFILES").split(",")) {
                profiles.add(p.strip());
            }
        }
        dropDisabledServices(merged, profiles);
        return new Loaded(name, dir, merged, files, List.copyOf(warnings), env, profiles);
    }

    List<Path> files() {
        if (!options.files().isEmpty()) {
            List<Path> out = new ArrayList<>();
            for (Path f : options.files()) {
                Path p = f.isAbsolute() ? f : options.workingDirectory().resolve(f);
                if (!Files.isRegularFile(p) && !generated.containsKey(p.normalize())) {
                    throw new ComposeException(List.of(f + ": no such compose file"));
                }
                out.add(p.normalize());
            }
            return out;
        }
        Path dir = options.projectDirectory() != null ? options.projectDirectory() : options.workingDirectory();
        for (Path d = io.krunbox.runtime.base.Invocation.current().resolve(dir); d != null; d = d.getParent()) {
            for (String n : DEFAULT_FILES) {
                if (Files.isRegularFile(d.resolve(n))) {
                    List<Path> out = new ArrayList<>(List.of(d.resolve(n)));
                    for (String o : OVERRIDES) {
                        if (Files.isRegularFile(d.resolve(o))) {
                            out.add(d.resolve(o));
                            break;
                        }
                    }
                    return out;
                }
            }
        }
        throw new ComposeException(List.of("no compose file (compose.yaml, compose.yml, docker-compose.yaml or"
                + " docker-compose.yml) in " + io.krunbox.runtime.base.Invocation.current().resolve(dir) + " or above it: give one with -f"));
    }

    /** One file, interpolated, with its {@code include}s merged under it. */
    YNode.Mapping readFile(Path f, Interpolator interpolator, Set<Path> including) {
        String text;
        try {
            text = generated.containsKey(f.normalize()) ? generated.get(f.normalize()) : Files.readString(f);
        } catch (IOException e) {
            throw new ComposeException(List.of(f + ": cannot read: " + e.getMessage()));
        }
        YNode root = YamlReader.read(f.toString(), text);
        if (!(root instanceof YNode.Mapping m)) {
            throw new ComposeException(root.loc(), null, "a compose file must be a mapping (services:, networks:, ...)");
        }
        YNode.Mapping file = (YNode.Mapping) interpolator.apply(m, "");
        YNode inc = file.entries().remove("include");
        if (inc == null) {
            return file;
        }
        if (!including.add(io.krunbox.runtime.base.Invocation.current().resolve(f).normalize())) {
            throw new ComposeException(inc.loc(), "include", "include cycle through " + f);
        }
        if (!(inc instanceof YNode.Sequence list)) {
            throw new ComposeException(inc.loc(), "include", "must be a list of files");
        }
        YNode.Mapping result = file;
        for (int i = 0; i < list.items().size(); i++) {
            YNode item = list.items().get(i);
            String path = item instanceof YNode.Scalar s ? s.value()
                    : item instanceof YNode.Mapping im && im.get("path") instanceof YNode.Scalar ps ? ps.value() : null;
            if (path == null) {
                throw new ComposeException(item.loc(), "include[" + i + "]", "needs a file path (or path:)");
            }
            Path target = io.krunbox.runtime.base.Invocation.current().resolve(f).getParent().resolve(path).normalize();
            if (!Files.isRegularFile(target)) {
                throw new ComposeException(item.loc(), "include[" + i + "]", "included file " + path + " does not exist");
            }
            YNode.Mapping included = readFile(target, interpolator, including);
            // an included file's services must not clash with the including file's
            if (included.get("services") instanceof YNode.Mapping is && result.get("services") instanceof YNode.Mapping rs) {
                for (String s : is.entries().keySet()) {
                    if (rs.entries().containsKey(s)) {
                        throw new ComposeException(rs.keyLoc(s), "services." + s, "service " + s
                                + " is also defined by included file " + path);
                    }
                }
            }
            result = (YNode.Mapping) Merger.merge(included, result, "");
        }
        including.remove(io.krunbox.runtime.base.Invocation.current().resolve(f).normalize());
        return result;
    }

    private String projectName(YNode.Mapping model, Path dir, Map<String, String> env) {
        String name = options.projectName();
        if (name == null) {
            name = env.get("COMPOSE_PROJECT_NAME");
        }
        if (name == null && model.get("name") instanceof YNode.Scalar s && !s.isNull()) {
            name = s.value();
        }
        if (name == null) {
            name = dir.getFileName() == null ? "default" : dir.getFileName().toString();
            name = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        }
        if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new ComposeException(List.of("project name \"" + name + "\" must be lowercase letters, digits, '-' or"
                    + " '_', starting with a letter or digit"));
        }
        return name;
    }

    private static void dropDisabledServices(YNode.Mapping model, Set<String> enabled) {
        if (!(model.get("services") instanceof YNode.Mapping services)) {
            return;
        }
        services.entries().entrySet().removeIf(e -> {
            if (e.getValue() instanceof YNode.Mapping s && s.get("profiles") instanceof YNode.Sequence p) {
                return p.items().stream().noneMatch(i -> i instanceof YNode.Scalar sc && (enabled.contains(sc.value())
                        || enabled.contains("*")));
            }
            return false;
        });
    }

    void warn(Loc loc, String path, String message) {
        warnings.add(ComposeException.format(loc, path, message));
    }
}
