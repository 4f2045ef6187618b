package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.YNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A service's {@code build:} in its long form, as Docker Compose prints it: the context made
 * absolute (against the file's directory), {@code dockerfile} (default {@code Dockerfile}) or
 * {@code dockerfile_inline}, args and labels as mappings, tags, secrets, target, no_cache and
 * pull; cache_from and platforms kept; what a build here cannot honour is reported.
 */
final class BuildSection {
    private static final Set<String> KEYS = Set.of("context", "dockerfile", "dockerfile_inline", "args", "target", "labels",
            "tags", "secrets", "no_cache", "pull", "cache_from", "cache_to", "platforms", "network");
    private static final Set<String> UNHONOURED = Set.of("ssh", "extra_hosts", "shm_size", "isolation", "privileged",
            "additional_contexts", "ulimits", "entitlements");

    private BuildSection() {}

    static Map<String, Object> normalize(YNode n, String path, Path dir, Map<String, String> env, Values v, Problems p,
                                         List<String> unhonoured) {
        Map<String, Object> out = new TreeMap<>();
        if (n instanceof YNode.Scalar) {
            out.put("context", absolute(dir, v.string(n, path)));
            out.put("dockerfile", "Dockerfile");
            return out;
        }
        YNode.Mapping m = v.mapping(n, path);
        if (m == null) {
            return null;
        }
        for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
            String key = e.getKey();
            String at = path + "." + key;
            YNode val = e.getValue();
            if (UNHONOURED.contains(key)) {
                unhonoured.add(at + ": not honoured by krunbox build; ignored");
                continue;
            }
            if (!KEYS.contains(key)) {
                p.unknown(m.keyLoc(key), at, "unknown key \"" + key + "\" of build (ignored)");
                continue;
            }
            switch (key) {
                case "context" -> out.put(key, absolute(dir, v.string(val, at)));
                case "args" -> {
                    // an arg without a value takes the environment's, and is left out when it has none
                    Map<String, String> args = v.dict(val, at, '=');
                    if (args != null) {
                        Map<String, String> kept = new java.util.LinkedHashMap<>();
                        args.forEach((k, x) -> {
                            String value = x != null ? x : env.get(k);
                            if (value != null) {
                                kept.put(k, value);
                            }
                        });
                        out.put(key, kept);
                    }
                }
                case "labels" -> out.put(key, v.dict(val, at, '='));
                case "tags", "platforms", "cache_from", "cache_to" -> out.put(key, v.strings(val, at, false));
                case "secrets" -> out.put(key, secrets(val, at, v));
                case "no_cache", "pull" -> out.put(key, v.bool(val, at));
                case "network" -> {
                    String net = v.string(val, at);
                    if (net != null && !net.equals("none") && !net.equals("default") && !net.equals("host")) {
                        p.error(val, at, "build network \"" + net + "\" is not none or default");
                    }
                    out.put(key, net);
                }
                default -> out.put(key, v.string(val, at));
            }
        }
        out.putIfAbsent("context", io.krunbox.runtime.base.Invocation.current().resolve(dir).normalize().toString());
        if (!out.containsKey("dockerfile_inline")) {
            out.putIfAbsent("dockerfile", "Dockerfile");
        }
        return out;
    }

    private static List<Object> secrets(YNode n, String at, Values v) {
        List<Object> out = new java.util.ArrayList<>();
        v.each(n, at, (item, where) -> {
            if (item instanceof YNode.Mapping m) {
                Map<String, Object> s = new TreeMap<>();
                m.entries().forEach((k, x) -> s.put(k, v.string(x, where + "." + k)));
                out.add(s);
            } else {
                out.add(Map.of("source", v.string(item, where)));
            }
        });
        return out;
    }

    private static String absolute(Path dir, String context) {
        if (context == null) {
            return null;
        }
        return context.startsWith("/") ? Path.of(context).normalize().toString()
                : io.krunbox.runtime.base.Invocation.current().resolve(dir).resolve(context).normalize().toString();
    }
}
