package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.YNode;
import io.krunbox.runtime.model.Ulimit;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ulimits}: {@code NAME: N} or {@code NAME: {soft: N, hard: N}}, each checked as setrlimit(2) would take it. */
final class Ulimits {
    private Ulimits() {}

    static Map<String, Object> normalize(YNode n, String path, Values v, Problems p) {
        YNode.Mapping m = v.mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach((name, value) -> {
            String at = path + "." + name;
            Long soft;
            Long hard;
            if (value instanceof YNode.Mapping limits) {
                soft = v.integer(limits.get("soft"), at + ".soft");
                hard = v.integer(limits.get("hard"), at + ".hard");
                if (soft == null || hard == null) {
                    p.error(value, at, "needs both soft and hard (or one number for both)");
                    return;
                }
            } else {
                soft = v.integer(value, at);
                hard = soft;
                if (soft == null) {
                    return;
                }
            }
            try {
                new Ulimit(name, soft, hard);
            } catch (IllegalArgumentException e) {
                p.error(value, at, e.getMessage());
                return;
            }
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("soft", soft);
            both.put("hard", hard);
            out.put(name, value instanceof YNode.Mapping ? both : soft);
        });
        return out;
    }
}
