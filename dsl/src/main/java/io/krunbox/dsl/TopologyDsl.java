package io.krunbox.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import io.krunbox.compose.Compose;
import io.krunbox.compose.convert.ConfigWriter;
import io.krunbox.compose.convert.Normalizer;
import io.krunbox.compose.convert.TopologyCompiler;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.runtime.model.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code topology('shop') { network('backend') {...}; volume('pgdata'); box('db') {...} }}.
 * It builds a compose document and hands it to the compose loader, so a script and its
 * compose equivalent go through the same validation and compile to equal Topologies.
 */
public final class TopologyDsl extends DslBlock {
    private final String name;
    private final Path origin;
    private final Map<String, Object> services = new LinkedHashMap<>();
    private final Map<String, Object> networks = new LinkedHashMap<>();
    private final Map<String, Object> volumes = new LinkedHashMap<>();
    private final List<String> includes = new ArrayList<>();
    private final Map<String, Object> secrets = new LinkedHashMap<>();
    private final Map<String, Object> configs = new LinkedHashMap<>();

    private BoxesApi runtime;

    /** @param origin the script (includes are relative to its directory; errors name it) */
    public TopologyDsl(String name, Path origin) {
        this.name = name;
        this.origin = origin.toAbsolutePath();
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

    /** {@code t.up(wait: true)}: networks, volumes and boxes, as {@code compose up -d [--wait]}. */
    public TopologyDsl up(Map<String, ?> options) throws Exception {
        BoxesApi a = api();
        new io.krunbox.runtime.TopologyRunner(io.krunbox.runtime.base.KrunboxHome.fromEnvironment(), a.runner(), a.boxes(),
                System.err).up(compile(), new io.krunbox.runtime.TopologyPlanner.UpOptions(List.of(), false, false,
                false, Boolean.TRUE.equals(options.get("wait")), null, Map.of()));
        return this;
    }

    public TopologyDsl up() throws Exception {
        return up(Map.of());
    }

    /** {@code t.down(volumes: true)}: as {@code compose down [-v]}. */
    public TopologyDsl down(Map<String, ?> options) throws Exception {
        BoxesApi a = api();
        new io.krunbox.runtime.TopologyRunner(io.krunbox.runtime.base.KrunboxHome.fromEnvironment(), a.runner(), a.boxes(),
                System.err).down(name, compile(), Boolean.TRUE.equals(options.get("volumes")), java.time.Duration.ofSeconds(10));
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
        networks.put(name, Blocks.apply(new NetworkDsl(), block).build());
        return this;
    }

    public TopologyDsl network(String name, Consumer<NetworkDsl> block) {
        networks.put(name, Blocks.apply(new NetworkDsl(), block).build());
        return this;
    }

    public TopologyDsl network(String name) {
        networks.put(name, new LinkedHashMap<>());
        return this;
    }

    public TopologyDsl volume(String name) {
        volumes.put(name, new LinkedHashMap<>());
        return this;
    }

    public TopologyDsl box(String name, @DelegatesTo(value = BoxDsl.class, strategy = Closure.DELEGATE_ONLY)
                           Closure<?> block) {
        services.put(name, Blocks.apply(new BoxDsl(), block).doc);
        return this;
    }

    public TopologyDsl box(String name, Consumer<BoxDsl> block) {
        services.put(name, Blocks.apply(new BoxDsl(), block).doc);
        return this;
    }

    /** {@code secret 'db_password', file: './pw.txt'} (or {@code environment:} / {@code content:}). */
    public TopologyDsl secret(Map<String, ?> source, String name) {
        secrets.put(name, Strings.of(source));
        return this;
    }

    /** {@code configs 'app_conf', content: 'debug=true'} (or {@code file:} / {@code environment:}). */
    public TopologyDsl config(Map<String, ?> source, String name) {
        configs.put(name, Strings.of(source));
        return this;
    }

    /** Pulls a compose file's services, networks and volumes into this topology. */
    public TopologyDsl include(String composeFile) {
        includes.add(composeFile);
        return this;
    }

    /** The compose document as written (before normalization). */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", name);
        if (!includes.isEmpty()) {
            doc.put("include", includes);
        }
        doc.put("services", services);
        if (!networks.isEmpty()) {
            doc.put("networks", networks);
        }
        if (!volumes.isEmpty()) {
            doc.put("volumes", volumes);
        }
        if (!secrets.isEmpty()) {
            doc.put("secrets", secrets);
        }
        if (!configs.isEmpty()) {
            doc.put("configs", configs);
        }
        return doc;
    }

    /** Where the document is said to come from in messages: next to the script. */
    public Path documentPath() {
        return origin.resolveSibling(origin.getFileName() + ".compose.yaml");
    }

    public Normalizer.Normalized normalized() {
        Path doc = documentPath();
        return Compose.normalize(new LoadOptions(List.of(doc), null, null, List.of(), List.of(), false, null,
                origin.getParent()), Map.of(doc, ConfigWriter.yaml(document())));
    }

    public Topology compile() {
        return TopologyCompiler.compile(normalized());
    }

    /** The normalized compose YAML of this topology. */
    public String toCompose() {
        return ConfigWriter.yaml(normalized().model());
    }
}
