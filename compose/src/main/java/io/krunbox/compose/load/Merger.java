package io.krunbox.compose.load;

import io.krunbox.compose.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compose-spec merge of one file over another: mappings merge key by key; sequences of
 * ports, volumes, dns and the like are joined without duplicates; environment and labels
 * merge by name in either syntax; anything else (command, entrypoint, healthcheck test)
 * is replaced. {@code !reset} removes a value, {@code !override} replaces it whole.
 */
public final class Merger {
    static final Set<String> JOINED = Set.of("ports", "expose", "dns", "dns_search", "extra_hosts", "tmpfs", "env_file",
            "secrets", "configs", "volumes", "devices", "cap_add", "cap_drop", "profiles", "external_links", "links");
    static final Set<String> BY_NAME = Set.of("environment", "labels");

    private Merger() {}

    public static YNode merge(YNode base, YNode over, String key) {
        if ("!override".equals(over.tag()) || base == null) {
            return over;
        }
        if (base instanceof YNode.Mapping b && over instanceof YNode.Mapping o) {
            YNode.Mapping out = b.copy();
            o.entries().forEach((k, v) -> {
                if ("!reset".equals(v.tag())) {
                    out.entries().remove(k);
                } else {
                    out.entries().put(k, merge(out.entries().get(k), v, k));
                    out.keyLocs().put(k, o.keyLoc(k));
                }
            });
            return out;
        }
        if (BY_NAME.contains(key) && (base instanceof YNode.Sequence || over instanceof YNode.Sequence)) {
            return merge(asMapping(base), asMapping(over), key);
        }
        if (JOINED.contains(key) && base instanceof YNode.Sequence b && over instanceof YNode.Sequence o) {
            YNode.Sequence out = b.copy();
            List<Object> seen = new ArrayList<>();
            b.items().forEach(i -> seen.add(YNode.plain(i)));
            for (YNode i : o.items()) {
                if (!seen.contains(YNode.plain(i))) {
                    out.items().add(i);
                    seen.add(YNode.plain(i));
                }
            }
            return out;
        }
        return over;
    }

    /** {@code [A=1, B]} as the mapping {@code {A: "1", B: null}}. */
    static YNode asMapping(YNode n) {
        if (!(n instanceof YNode.Sequence s)) {
            return n;
        }
        LinkedHashMap<String, YNode> entries = new LinkedHashMap<>();
        Map<String, io.krunbox.compose.yaml.Loc> locs = new LinkedHashMap<>();
        for (YNode i : s.items()) {
            if (i instanceof YNode.Scalar sc) {
                int eq = sc.value().indexOf('=');
                String k = eq < 0 ? sc.value() : sc.value().substring(0, eq);
                entries.put(k, new YNode.Scalar(eq < 0 ? "" : sc.value().substring(eq + 1), sc.loc(), null, eq < 0));
                locs.put(k, sc.loc());
            }
        }
        return new YNode.Mapping(entries, locs, s.loc(), s.tag());
    }
}
