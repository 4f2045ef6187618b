package io.krunbox.build.context;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} patterns as Docker reads them: one per line, {@code #} comments, paths
 * cleaned and relative to the context, {@code *}, {@code ?}, {@code [...]} and {@code **} (any
 * number of directories), {@code !} for exceptions; the last pattern that matches decides. A
 * pattern matching a directory excludes what is under it too.
 */
public final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exclude) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            if (exception) {
                line = line.substring(1).strip();
            }
            // repeated ** mean what one does (and would make the pattern backtrack without end)
            String clean = clean(line).replaceAll("(\\*\\*/)+", "**/").replaceAll("(\\*\\*/)+\\*\\*$", "**")
                    .replaceAll("\\*{3,}", "**");
            if (clean.isEmpty()) {
                continue;
            }
            rules.add(new Rule(Pattern.compile(regex(clean)), !exception));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** Whether the context path {@code rel} (forward slashes, no leading slash) is left out. */
    public boolean excludes(String rel) {
        boolean out = false;
        for (Rule r : rules) {
            if (matchesOrParent(r.pattern, rel)) {
                out = r.exclude;
            }
        }
        return out;
    }

    /** Whether some exception could bring back something under the excluded directory {@code rel}. */
    public boolean mayIncludeUnder(String rel) {
        for (Rule r : rules) {
            if (!r.exclude) {
                return true; // exceptions are rare: walk into the directory and decide per file
            }
        }
        return false;
    }

    private static boolean matchesOrParent(Pattern p, String rel) {
        if (p.matcher(rel).matches()) {
            return true;
        }
        for (int i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
            if (p.matcher(rel.substring(0, i)).matches()) {
                return true;
            }
        }
        return false;
    }

    static String clean(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String part : pattern.replace('\\', '/').split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    private static String regex(String glob) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                // ** matches any number of directories, none included
                i++;
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                    i++;
                    b.append("(?:.*/)?");
                } else {
                    b.append(".*");
                }
            } else if (c == '*') {
                b.append("[^/]*");
            } else if (c == '?') {
                b.append("[^/]");
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 1);
                if (end < 0) {
                    b.append("\\[");
                } else {
                    String set = glob.substring(i + 1, end);
                    b.append('[').append(set.startsWith("^") || set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                    i = end;
                }
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return b.toString();
    }
}
