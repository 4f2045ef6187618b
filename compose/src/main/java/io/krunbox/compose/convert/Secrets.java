package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.YNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A service's {@code secrets:} / {@code configs:} references, short or long, as {@code {source, target, uid, gid, mode}}. */
final class Secrets {
    private Secrets() {}

    static List<Map<String, Object>> references(YNode n, String path, Values v, Problems p, String kind) {
        List<Map<String, Object>> out = new ArrayList<>();
        v.each(n, path, (item, at) -> {
            Map<String, Object> ref = new TreeMap<>();
            if (item instanceof YNode.Mapping m) {
                ref.put("source", v.string(m.get("source"), at + ".source"));
                for (String k : List.of("target", "uid", "gid", "mode")) {
                    if (m.get(k) != null) {
                        ref.put(k, v.string(m.get(k), at + "." + k));
                    }
                }
            } else {
                ref.put("source", v.string(item, at));
            }
            if (ref.get("source") == null) {
                p.error(item, at, "needs a source (the name of a top-level " + kind + " entry)");
                return;
            }
            String target = (String) ref.get("target");
            if (target != null || kind.equals("secrets")) {
                ref.put("target", target(kind, target != null ? target : (String) ref.get("source")));
            }
            out.add(ref);
        });
        return out;
    }

    /** Where a secret or config is mounted: an absolute target as given, else under /run/secrets/ or /. */
    static String target(String kind, String target) {
        return target.startsWith("/") ? target : (kind.equals("secrets") ? "/run/secrets/" : "/") + target;
    }
}
