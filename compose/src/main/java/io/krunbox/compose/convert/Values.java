package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed reading of YAML nodes against the compose schema; a wrong type is a problem at the node, and null comes back. */
final class Values {
    private final Problems p;

    Values(Problems p) {
        this.p = p;
    }

    String string(YNode n, String path) {
        if (n == null) {
            return null;
        }
        if (n instanceof YNode.Scalar s) {
            return s.isNull() ? null : s.value();
        }
        p.error(n, path, "must be a string, not a " + kind(n));
        return null;
    }

    Boolean bool(YNode n, String path) {
        String s = string(n, path);
        if (s == null) {
            return null;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        p.error(n, path, "must be true or false, not \"" + s + "\"");
        return null;
    }

    Long integer(YNode n, String path) {
        String s = string(n, path);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            p.error(n, path, "must be a whole number, not \"" + s + "\"");
            return null;
        }
    }

    YNode.Mapping mapping(YNode n, String path) {
        if (n == null || n instanceof YNode.Scalar s && s.isNull()) {
            return null;
        }
        if (n instanceof YNode.Mapping m) {
            return m;
        }
        p.error(n, path, "must be a mapping, not a " + kind(n));
        return null;
    }

    /** A list of strings; a single string is taken as a one-item list when {@code single}. */
    List<String> strings(YNode n, String path, boolean single) {
        if (n == null || n instanceof YNode.Scalar s && s.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (n instanceof YNode.Scalar s && single) {
            out.add(s.value());
            return out;
        }
        if (!(n instanceof YNode.Sequence q)) {
            p.error(n, path, "must be a list" + (single ? " or a string" : "") + ", not a " + kind(n));
            return null;
        }
        for (int i = 0; i < q.items().size(); i++) {
            String v = string(q.items().get(i), path + "[" + i + "]");
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** {@code KEY: VALUE} or {@code [KEY=VALUE]}: environment, labels, extra_hosts (with ':'). */
    Map<String, String> dict(YNode n, String path, char separator) {
        if (n == null || n instanceof YNode.Scalar s && s.isNull()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (n instanceof YNode.Mapping m) {
            m.entries().forEach((k, v) -> {
                if (v instanceof YNode.Scalar s) {
                    out.put(k, s.isNull() ? null : s.value());
                } else {
                    p.error(v, path + "." + k, "must be a string, number or boolean, not a " + kind(v));
                }
            });
            return out;
        }
        if (!(n instanceof YNode.Sequence)) {
            p.error(n, path, "must be a mapping or a list of KEY" + separator + "VALUE, not a " + kind(n));
            return null;
        }
        List<String> items = strings(n, path, false);
        if (items != null) {
            for (String i : items) {
                int eq = i.indexOf(separator);
                out.put(eq < 0 ? i : i.substring(0, eq), eq < 0 ? null : i.substring(eq + 1));
            }
        }
        return out;
    }

    /** What to do with one item of a list; a bad item is reported at it by throwing IllegalArgumentException. */
    interface Item {
        void visit(YNode item, String path);
    }

    /** Visits each item of a list with its path ({@code ports[1]}); anything but a list is an error at the node. */
    void each(YNode n, String path, Item visitor) {
        if (!(n instanceof YNode.Sequence q)) {
            p.error(n, path, "must be a list");
            return;
        }
        for (int i = 0; i < q.items().size(); i++) {
            YNode item = q.items().get(i);
            String at = path + "[" + i + "]";
            try {
                visitor.visit(item, at);
            } catch (IllegalArgumentException e) {
                p.error(item, at, e.getMessage());
            }
        }
    }

    static String kind(YNode n) {
        return n instanceof YNode.Mapping ? "mapping" : n instanceof YNode.Sequence ? "list" : "string";
    }
}
