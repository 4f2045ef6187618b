package io.krunbox.dsl;

import io.krunbox.runtime.base.Invocation;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import io.krunbox.compose.Compose;
import io.krunbox.compose.convert.ConfigWriter;
import io.krunbox.compose.convert.Normalizer;
import io.krunbox.compose.convert.TopologyCompiler;
import io.krunbox.compose.convert.TopologyWriter;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.model.TopologyBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code topology('shop') { network('backend') {...}; volume('pgdata'); box('db') {...} }}: a
 * Groovy face of {@link Topology#builder}, each word one builder call, so a script, the same
 * topology in Java and its compose file compile to equal Topologies.
 */
public final class TopologyDsl extends DslBlock {
    private final String name;
    private final Path origin;
    private final TopologyBuilder builder;
    private final Map<String, BoxDsl> boxes = new LinkedHashMap<>();

    private BoxesApi runtime;

    /** @param origin the script (relative paths and includes are its directory's; errors name it) */
    public TopologyDsl(String name, Path origin) {
        this.name = name;
        this.origin = io.krunbox.runtime.base.Invocation.current().resolve(origin);
        this.builder = Topology.builder(name);
    }

    TopologyDsl runtime(BoxesApi api) {
        this.runtime = api;
        return this;
    }

    private BoxesApi api() {
        if (runtime == null) {
            runtime = new BoxesApi();
        }
        return runtime;
    }

    private Path dir() {
        return origin.getParent();
    }

    /** {@code t.up(wait: true)}: networks, volumes and boxes, as {@code compose up -d [--wait]}. */
    public TopologyDsl up(Map<String, ?> options) throws Exception {
        BoxesApi a = api();
        a.krunbox().topologies(a.runner(), Invocation.current().err()).up(compile(), new io.krunbox.runtime.TopologyPlanner.UpOptions(List.of(), false, false,
                false, Boolean.TRUE.equals(options.get("wait")), null, Map.of()));
        return this;
    }

    public TopologyDsl up() throws Exception {
        return up(Map.of());
    }

    /** {@code t.down(volumes: true)}: as {@code compose down [-v]}. */
    public TopologyDsl down(Map<String, ?> options) throws Exception {
        BoxesApi a = api();
        a.krunbox().topologies(a.runner(), Invocation.current().err()).down(name, compile(), Boolean.TRUE.equals(options.get("volumes")), java.time.Duration.ofSeconds(10));
        return this;
    }

    public TopologyDsl down() throws Exception {
        return down(Map.of());
    }

    /** {@code t.box('web')} after up: the first box of that service. */
    public BoxHandle box(String service) {
        Topology t = compile();
        return api().get(t.service(service).boxName(t.project(), 1));
    }

    public String getName() {
        return name;
    }

    public TopologyDsl network(String name, @DelegatesTo(value = NetworkDsl.class, strategy = Closure.DELEGATE_ONLY)
                               Closure<?> block) {
        builder.network(name, n -> Blocks.apply(new NetworkDsl(n), block));
        return this;
    }

    public TopologyDsl network(String name, Consumer<NetworkDsl> block) {
        builder.network(name, n -> Blocks.apply(new NetworkDsl(n), block));
        return this;
    }

    public TopologyDsl network(String name) {
        builder.network(name);
        return this;
    }

    public TopologyDsl volume(String name) {
        builder.volume(name);
        return this;
    }

    public TopologyDsl box(String name, @DelegatesTo(value = BoxDsl.class, strategy = Closure.DELEGATE_ONLY)
                           Closure<?> block) {
        builder.box(name, b -> boxes.put(name, Blocks.apply(boxes.getOrDefault(name, new BoxDsl(b, dir())), block)));
        return this;
    }

    public TopologyDsl box(String name, Consumer<BoxDsl> block) {
        builder.box(name, b -> boxes.put(name, Blocks.apply(boxes.getOrDefault(name, new BoxDsl(b, dir())), block)));
        return this;
    }

    /** {@code secret 'db_password', file: './pw.txt'} (or {@code environment:} / {@code content:}). */
    public TopologyDsl secret(Map<String, ?> source, String name) {
        builder.secret(name, s -> source(source, "secret " + name, s));
        return this;
    }

    /** {@code config 'app_conf', content: 'debug=true'} (or {@code file:} / {@code environment:}). */
    public TopologyDsl config(Map<String, ?> source, String name) {
        builder.config(name, s -> source(source, "config " + name, s));
        return this;
    }

    private void source(Map<String, ?> source, String what, TopologyBuilder.SecretBuilder s) {
        source.forEach((k, v) -> {
            String value = Strings.of(v);
            switch (k) {
                case "file" -> s.file(dir().resolve(value).normalize().toString());
                case "content" -> s.content(value);
                case "environment" -> s.environment(value);
                default -> throw new IllegalArgumentException(what + ": give file:, content: or environment:, not " + k + ":");
            }
        });
    }

    /** Pulls a compose file's services, networks, volumes, secrets and configs into this topology. */
    public TopologyDsl include(String composeFile) {
        Path file = dir().resolve(composeFile).normalize();
        builder.include(TopologyCompiler.compile(Compose.normalize(new LoadOptions(List.of(file), name, file.getParent(),
                List.of(), List.of(), false, null, file.getParent()))));
        return this;
    }

    /** The topology, with the boxes of no profile (as {@code compose up} without {@code --profile}). */
    public Topology compile() {
        return builder.activeProfiles().build();
    }

    /** The topology with the boxes of {@code profiles} on as well ({@code *}: all). */
    public Topology compile(List<String> profiles) {
        return builder.activeProfiles(profiles.toArray(String[]::new)).build();
    }

    /** The compose document of this topology: every box, those of a profile marked with it, as the compose loader takes it. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> document() {
        Map<String, Object> doc = TopologyWriter.document(compile(List.of("*")));
        Map<String, Object> services = (Map<String, Object>) doc.get("services");
        boxes.forEach((service, box) -> {
            Map<String, Object> s = (Map<String, Object>) services.get(service);
            s.putAll(box.composeOnly);
            List<String> profiles = builder.profilesOf(service);
            if (!profiles.isEmpty()) {
                s.put("profiles", profiles);
            }
        });
        return doc;
    }

    /** Where the document is said to come from in messages: next to the script. */
    public Path documentPath() {
        return origin.resolveSibling(origin.getFileName() + ".compose.yaml");
    }

    public Normalizer.Normalized normalized() {
        Path doc = documentPath();
        return Compose.normalize(new LoadOptions(List.of(doc), null, null, List.of(), List.of(), false, null,
                dir()), Map.of(doc, ConfigWriter.yaml(document())));
    }

    /** The normalized compose YAML of this topology. */
    public String toCompose() {
        return ConfigWriter.yaml(normalized().model());
    }
}
