package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.YNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code depends_on} in list or map form, as {@code {service: {condition, required, restart}}}. */
final class DependsOn {
    static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy", "service_completed_successfully");

    private DependsOn() {}

    static Map<String, Object> normalize(YNode n, String path, Values v, Problems p) {
        Map<String, Object> out = new TreeMap<>();
        if (n instanceof YNode.Sequence) {
            List<String> names = v.strings(n, path, false);
            if (names != null) {
                names.forEach(s -> out.put(s, entry("service_started", true, false)));
            }
            return out;
        }
        YNode.Mapping m = v.mapping(n, path);
        if (m == null) {
            return out;
        }
        m.entries().forEach((service, cfg) -> {
            String at = path + "." + service;
            YNode.Mapping c = v.mapping(cfg, at);
            String condition = c == null || c.get("condition") == null ? "service_started"
                    : v.string(c.get("condition"), at + ".condition");
            if (condition != null && !CONDITIONS.contains(condition)) {
                p.error(c.get("condition"), at + ".condition", "\"" + condition
                        + "\" is not service_started, service_healthy or service_completed_successfully");
                return;
            }
            Boolean required = c == null ? null : v.bool(c.get("required"), at + ".required");
            Boolean restart = c == null ? null : v.bool(c.get("restart"), at + ".restart");
            out.put(service, entry(condition, required == null || required, restart != null && restart));
        });
        return out;
    }

    private static Map<String, Object> entry(String condition, boolean required, boolean restart) {
        Map<String, Object> e = new TreeMap<>();
        e.put("condition", condition);
        e.put("required", required);
        if (restart) {
            e.put("restart", true);
        }
        return e;
    }
}
