package io.krunbox.compose.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML node with its position. Scalars keep their text; typing is the schema's business. */
public sealed interface YNode permits YNode.Scalar, YNode.Mapping, YNode.Sequence {
    Loc loc();

    /** {@code !reset}, {@code !override}, or null. */
    String tag();

    /** A scalar; {@code plain} when it was written without quotes (so {@code null}, {@code ~} mean nothing). */
    record Scalar(String value, Loc loc, String tag, boolean plain) implements YNode {
        public boolean isNull() {
            return plain && (value.isEmpty() || value.equals("null") || value.equals("~") || value.equals("Null")
                    || value.equals("NULL"));
        }
    }

    /** A mapping with string keys, in order; each key's position is kept for messages. */
    record Mapping(LinkedHashMap<String, YNode> entries, Map<String, Loc> keyLocs, Loc loc, String tag) implements YNode {
        public YNode get(String key) {
            return entries.get(key);
        }

        public Loc keyLoc(String key) {
            return keyLocs.getOrDefault(key, loc);
        }

        public static Mapping empty(Loc loc) {
            return new Mapping(new LinkedHashMap<>(), new LinkedHashMap<>(), loc, null);
        }

        public Mapping copy() {
            return new Mapping(new LinkedHashMap<>(entries), new LinkedHashMap<>(keyLocs), loc, tag);
        }
    }

    record Sequence(List<YNode> items, Loc loc, String tag) implements YNode {
        public Sequence copy() {
            return new Sequence(new ArrayList<>(items), loc, tag);
        }
    }

    /** Plain Java values (String, Map, List, null) for output. */
    static Object plain(YNode n) {
        if (n instanceof Scalar s) {
            return s.isNull() ? null : s.value();
        }
        if (n instanceof Mapping m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, v) -> out.put(k, plain(v)));
            return out;
        }
        List<Object> out = new ArrayList<>();
        ((Sequence) n).items().forEach(i -> out.add(plain(i)));
        return out;
    }
}
