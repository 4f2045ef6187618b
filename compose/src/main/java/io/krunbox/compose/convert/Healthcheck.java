package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.YNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code healthcheck}: test as CMD / CMD-SHELL / NONE (a string is CMD-SHELL), durations in Go's spelling. */
final class Healthcheck {
    private Healthcheck() {}

    static Map<String, Object> normalize(YNode n, String path, Values v, Problems p) {
        YNode.Mapping m = v.mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
            String at = path + "." + e.getKey();
            YNode val = e.getValue();
            try {
                switch (e.getKey()) {
                    case "test" -> {
                        List<String> test = new ArrayList<>();
                        if (val instanceof YNode.Scalar s) {
                            test.add("CMD-SHELL");
                            test.add(s.value());
                        } else {
                            List<String> l = v.strings(val, at, false);
                            if (l == null || l.isEmpty() || !List.of("CMD", "CMD-SHELL", "NONE").contains(l.get(0))) {
                                p.error(val, at, "must start with CMD, CMD-SHELL or NONE");
                                continue;
                            }
                            test.addAll(l);
                        }
                        out.put("test", test);
                    }
                    case "interval", "timeout", "start_period", "start_interval" -> {
                        String d = v.string(val, at);
                        if (d != null) {
                            out.put(e.getKey(), Syntax.goDuration(Syntax.duration(d)));
                        }
                    }
                    case "retries" -> out.put("retries", v.integer(val, at));
                    case "disable" -> out.put("disable", v.bool(val, at));
                    default -> {
                        if (!e.getKey().startsWith("x-")) {
                            p.unknown(m.keyLoc(e.getKey()), at, "unknown key \"" + e.getKey() + "\" (ignored)");
                        }
                    }
                }
            } catch (IllegalArgumentException bad) {
                p.error(val, at, bad.getMessage());
            }
        }
        return out;
    }
}
