package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.YNode;
import java.util.Map;
import java.util.TreeMap;

/** {@code deploy}: replicas and resources.limits (cpus, memory, pids) are honoured; the rest is swarm's. */
final class Deploy {
    private Deploy() {}

    static Map<String, Object> normalize(YNode n, String path, Values v, Problems p) {
        YNode.Mapping m = v.mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Object> out = new TreeMap<>();
        if (m.get("replicas") != null) {
            Long r = v.integer(m.get("replicas"), path + ".replicas");
            if (r != null && (r < 0 || r > 100)) {
                p.error(m.get("replicas"), path + ".replicas", "must be between 0 and 100");
            }
            out.put("replicas", r);
        }
        YNode.Mapping res = v.mapping(m.get("resources"), path + ".resources");
        YNode.Mapping lim = res == null ? null : v.mapping(res.get("limits"), path + ".resources.limits");
        if (lim != null) {
            Map<String, Object> limits = new TreeMap<>();
            String at = path + ".resources.limits";
            try {
                if (lim.get("cpus") != null) {
                    limits.put("cpus", Syntax.number(v.string(lim.get("cpus"), at + ".cpus")));
                }
                if (lim.get("memory") != null) {
                    limits.put("memory", Long.toString(Syntax.bytes(v.string(lim.get("memory"), at + ".memory"))));
                }
                if (lim.get("pids") != null) {
                    limits.put("pids", v.integer(lim.get("pids"), at + ".pids"));
                }
            } catch (IllegalArgumentException e) {
                p.error(lim, at, e.getMessage());
            }
            out.put("resources", Map.of("limits", limits));
        }
        return out;
    }
}
