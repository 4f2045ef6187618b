package io.krunbox.compose.convert;

import io.krunbox.compose.load.ProjectLoader;
import io.krunbox.compose.yaml.YNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The normalized project: the merged tree checked against the compose schema and written in
 * canonical form (long syntax, sorted keys, durations and sizes spelled one way), which is
 * what {@code compose config} prints and what the compile step reads. Every problem is
 * collected with its file:line:column before one exception lists them all.
 */
public final class Normalizer {
    static final Set<String> TOP = Set.of("name", "services", "networks", "volumes", "secrets", "configs", "version");

    /** The result: the model, keys parsed but not honoured (with the reason), and warnings. */
    /**
     * @param envFiles per service, the variables its {@code env_file}s gave (already folded into its
     *                 {@code environment}, as Docker Compose's config shows them; kept apart for kube generate)
     */
    public record Normalized(String name, Map<String, Object> model, List<String> unhonoured, List<String> warnings,
                             Map<String, Map<String, String>> envFiles) {
        public Normalized(String name, Map<String, Object> model, List<String> unhonoured, List<String> warnings) {
            this(name, model, unhonoured, warnings, Map.of());
        }
    }

    private Normalizer() {}

    public static Normalized normalize(ProjectLoader.Loaded loaded, boolean strict) {
        Problems p = new Problems(strict);
        Values v = new Values(p);
        YNode.Mapping root = loaded.model();
        Map<String, Object> model = new TreeMap<>();
        model.put("name", loaded.name());
        for (Map.Entry<String, YNode> e : root.entries().entrySet()) {
            if (!TOP.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
                p.unknown(root.keyLoc(e.getKey()), e.getKey(), "unknown top-level key \"" + e.getKey() + "\" (ignored)");
            }
        }
        root.entries().forEach((k, n) -> {
            if (k.startsWith("x-")) {
                model.put(k, YNode.plain(n));
            }
        });
        if (root.get("version") != null) {
            p.warn(root.keyLoc("version"), "version", "the version key is obsolete and ignored");
        }
        ServiceNormalizer sn = new ServiceNormalizer(p, loaded.directory(), loaded.environment());
        Map<String, Object> services = new TreeMap<>();
        YNode.Mapping svc = v.mapping(root.get("services"), "services");
        if (svc == null || svc.entries().isEmpty()) {
            p.error(root.loc(), "services", "the project defines no services");
        } else {
            svc.entries().forEach((name, node) -> {
                if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
                    p.error(svc.keyLoc(name), "services." + name, "invalid service name (letters, digits, '_', '.', '-')");
                }
                YNode.Mapping s = v.mapping(node, "services." + name);
                if (s != null) {
                    services.put(name, sn.service(name, s));
                }
            });
        }
        model.put("services", services);
        model.put("networks", networks(v, p, root, loaded.name(), services));
        model.put("volumes", volumes(v, p, root, loaded.name()));
        for (String kind : List.of("secrets", "configs")) {
            Map<String, Object> defs = sources(v, p, root, kind, loaded);
            if (!defs.isEmpty()) {
                model.put(kind, defs);
            }
        }
        References.check(root, model, p);
        p.throwIfAny();
        List<String> warnings = new ArrayList<>(loaded.warnings());
        warnings.addAll(p.warnings());
        return new Normalized(loaded.name(), model, List.copyOf(sn.unhonoured), warnings, Map.copyOf(sn.envFiles));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> networks(Values v, Problems p, YNode.Mapping root, String project,
                                                Map<String, Object> services) {
        Map<String, Object> out = new TreeMap<>();
        YNode.Mapping nets = v.mapping(root.get("networks"), "networks");
        if (nets != null) {
            nets.entries().forEach((name, node) -> {
                String at = "networks." + name;
                YNode.Mapping n = v.mapping(node, at);
                Map<String, Object> def = named(v, n, at, name, project);
                if (n != null) {
                    String driver = v.string(n.get("driver"), at + ".driver");
                    if (driver != null && !driver.equals("bridge")) {
                        p.error(n.get("driver"), at + ".driver", "driver \"" + driver + "\" is not supported (bridge)");
                    }
                    if (driver != null) {
                        def.put("driver", driver); // as Docker Compose keeps it
                    }
                    if (Boolean.TRUE.equals(v.bool(n.get("internal"), at + ".internal"))) {
                        def.put("internal", true);
                    }
                    Map<String, String> labels = v.dict(n.get("labels"), at + ".labels", '=');
                    if (labels != null) {
                        def.put("labels", new TreeMap<>(labels));
                    }
                    YNode.Mapping ipam = v.mapping(n.get("ipam"), at + ".ipam");
                    if (ipam != null && ipam.get("config") instanceof YNode.Sequence cfg && !cfg.items().isEmpty()) {
                        YNode.Mapping c = v.mapping(cfg.items().get(0), at + ".ipam.config[0]");
                        Map<String, Object> one = new TreeMap<>();
                        String subnet = c == null ? null : v.string(c.get("subnet"), at + ".ipam.config[0].subnet");
                        if (subnet != null) {
                            try {
                                io.krunbox.runtime.network.Subnet.parse(subnet);
                                one.put("subnet", subnet);
                            } catch (IllegalArgumentException e) {
                                p.error(c.get("subnet"), at + ".ipam.config[0].subnet", e.getMessage());
                            }
                        }
                        String gw = c == null ? null : v.string(c.get("gateway"), at + ".ipam.config[0].gateway");
                        if (gw != null) {
                            one.put("gateway", gw);
                        }
                        def.put("ipam", Map.of("config", List.of(one)));
                    }
                }
                out.put(name, def);
            });
        }
        // the project's default network, when some service uses it (implicitly or by name)
        boolean usesDefault = false;
        for (Object s : services.values()) {
            Map<String, Object> service = (Map<String, Object>) s;
            Map<String, Object> sn = (Map<String, Object>) service.get("networks");
            if ("none".equals(service.get("network_mode"))) {
                continue;
            }
            if (sn == null || sn.isEmpty()) {
                service.put("networks", new TreeMap<>(Map.of("default", new HashMap<>())));
                ((Map<String, Object>) service.get("networks")).put("default", null);
                usesDefault = true;
            } else if (sn.containsKey("default")) {
                usesDefault = true;
            }
        }
        if (usesDefault && !out.containsKey("default")) {
            out.put("default", new TreeMap<>(Map.of("name", project + "_default")));
        }
        return out;
    }

    /** A network's or volume's real name ({@code <project>_<key>} unless external or named) and its external flag. */
    private static Map<String, Object> named(Values v, YNode.Mapping n, String at, String key, String project) {
        Map<String, Object> def = new TreeMap<>();
        boolean external = n != null && Boolean.TRUE.equals(v.bool(n.get("external"), at + ".external"));
        String given = n == null ? null : v.string(n.get("name"), at + ".name");
        def.put("name", given != null ? given : external ? key : project + "_" + key);
        if (external) {
            def.put("external", true);
        }
        return def;
    }

    private static Map<String, Object> volumes(Values v, Problems p, YNode.Mapping root, String project) {
        Map<String, Object> out = new TreeMap<>();
        YNode.Mapping vols = v.mapping(root.get("volumes"), "volumes");
        if (vols != null) {
            vols.entries().forEach((name, node) -> {
                String at = "volumes." + name;
                YNode.Mapping n = v.mapping(node, at);
                Map<String, Object> def = named(v, n, at, name, project);
                Map<String, String> labels = n == null ? null : v.dict(n.get("labels"), at + ".labels", '=');
                if (labels != null) {
                    def.put("labels", new TreeMap<>(labels));
                }
                out.put(name, def);
            });
        }
        return out;
    }

    private static Map<String, Object> sources(Values v, Problems p, YNode.Mapping root, String kind,
                                               ProjectLoader.Loaded loaded) {
        Map<String, Object> out = new TreeMap<>();
        YNode.Mapping defs = v.mapping(root.get(kind), kind);
        if (defs == null) {
            return out;
        }
        defs.entries().forEach((name, node) -> {
            String at = kind + "." + name;
            YNode.Mapping n = v.mapping(node, at);
            if (n == null) {
                p.error(node, at, "needs file:, environment: or content:");
                return;
            }
            Map<String, Object> def = new LinkedHashMap<>();
            String file = v.string(n.get("file"), at + ".file");
            String env = v.string(n.get("environment"), at + ".environment");
            String content = v.string(n.get("content"), at + ".content");
            if ((file != null ? 1 : 0) + (env != null ? 1 : 0) + (content != null ? 1 : 0) != 1) {
                p.error(n, at, "needs exactly one of file:, environment: or content:");
                return;
            }
            if (file != null) {
                java.nio.file.Path f = loaded.directory().resolve(file).normalize();
                if (!java.nio.file.Files.isRegularFile(f)) {
                    p.error(n.get("file"), at + ".file", "file " + f + " does not exist");
                }
                def.put("file", f.toString());
            } else if (env != null) {
                if (!loaded.environment().containsKey(env)) {
                    p.error(n.get("environment"), at + ".environment", "variable " + env + " is not set");
                }
                def.put("environment", env);
            } else {
                def.put("content", content);
            }
            def.put("name", loaded.name() + "_" + name);
            out.put(name, def);
        });
        return out;
    }
}
