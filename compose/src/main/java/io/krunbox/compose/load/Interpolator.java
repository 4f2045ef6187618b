package io.krunbox.compose.load;

import io.krunbox.compose.yaml.ComposeException;
import io.krunbox.compose.yaml.Loc;
import io.krunbox.compose.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Compose's variable syntax in values: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+alt}},
 * {@code ${VAR+alt}}, and {@code $$} for a dollar. Defaults may hold variables themselves.
 */
public final class Interpolator {
    private final Map<String, String> env;
    private final Consumer<String> warnings;

    public Interpolator(Map<String, String> env, Consumer<String> warnings) {
        this.env = env;
        this.warnings = warnings;
    }

    /** The tree with every scalar value interpolated (keys are left alone, as Compose does). */
    public YNode apply(YNode n, String path) {
        if (n instanceof YNode.Scalar s) {
            // an interpolated value is a string even when it came out empty (KEY: ${EMPTY} is "", not null)
            return s.value().indexOf('$') < 0 ? s : new YNode.Scalar(text(s.value(), s.loc(), path), s.loc(), s.tag(), false);
        }
        if (n instanceof YNode.Sequence q) {
            List<YNode> items = new ArrayList<>();
            for (int i = 0; i < q.items().size(); i++) {
                items.add(apply(q.items().get(i), path + "[" + i + "]"));
            }
            return new YNode.Sequence(items, q.loc(), q.tag());
        }
        YNode.Mapping m = (YNode.Mapping) n;
        LinkedHashMap<String, YNode> out = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> out.put(k, k.startsWith("x-") && path.isEmpty() ? v
                : apply(v, path.isEmpty() ? k : path + "." + k)));
        return new YNode.Mapping(out, m.keyLocs(), m.loc(), m.tag());
    }

    public String text(String s, Loc loc, String path) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) {
                out.append('$');
                i++;
            } else if (s.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (s.charAt(i + 1) == '{') {
                int end = closing(s, i + 1);
                if (end < 0) {
                    throw new ComposeException(loc, path, "unclosed \"${\" in \"" + s + "\"");
                }
                out.append(expression(s.substring(i + 2, end), loc, path, s));
                i = end + 1;
            } else if (isNameStart(s.charAt(i + 1))) {
                int j = i + 1;
                while (j < s.length() && isNamePart(s.charAt(j))) {
                    j++;
                }
                out.append(lookup(s.substring(i + 1, j), loc, path));
                i = j;
            } else {
                throw new ComposeException(loc, path, "invalid interpolation \"" + s + "\": write $$ for a literal $");
            }
        }
        return out.toString();
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '{') {
                depth++;
            } else if (s.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private String expression(String e, Loc loc, String path, String whole) {
        int n = 0;
        while (n < e.length() && (n == 0 ? isNameStart(e.charAt(n)) : isNamePart(e.charAt(n)))) {
            n++;
        }
        String name = e.substring(0, n);
        String rest = e.substring(n);
        if (name.isEmpty()) {
            throw new ComposeException(loc, path, "invalid interpolation \"" + whole + "\": \"${" + e + "}\" names no variable");
        }
        String value = env.get(name);
        boolean set = value != null;
        boolean nonEmpty = set && !value.isEmpty();
        if (rest.isEmpty()) {
            return lookup(name, loc, path);
        }
        for (String op : new String[] {":-", ":?", ":+", "-", "?", "+"}) {
            if (rest.startsWith(op)) {
                String arg = rest.substring(op.length());
                boolean colon = op.length() == 2;
                boolean has = colon ? nonEmpty : set;
                switch (op.charAt(op.length() - 1)) {
                    case '-':
                        return has ? value : text(arg, loc, path);
                    case '?':
                        if (!has) {
                            throw new ComposeException(loc, path, "required variable " + name + " is "
                                    + (set ? "empty" : "missing") + ": " + text(arg, loc, path));
                        }
                        return value;
                    default:
                        return has ? text(arg, loc, path) : "";
                }
            }
        }
        throw new ComposeException(loc, path, "invalid interpolation \"" + whole + "\": unknown operator in \"${" + e + "}\"");
    }

    private String lookup(String name, Loc loc, String path) {
        String v = env.get(name);
        if (v == null) {
            warnings.accept(ComposeException.format(loc, path, "variable " + name + " is not set: using an empty string"));
            return "";
        }
        return v;
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
