package io.krunbox.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The part of Docker's Go templates that scripts use with {@code --format}: text with
 * {@code {{.Field.Path}}}, {@code {{json .Path}}} and {@code {{.}}}, applied to the JSON a
 * command prints. Field names match case-insensitively ({@code .ID} finds {@code Id}); a list
 * of plain values prints comma-separated, as {@code {{.Names}}} does in Docker.
 */
final class GoTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final List<String> literals = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();

    private record Action(boolean json, List<String> path) {}

    GoTemplate(String source) {
        this.source = source;
        int at = 0;
        while (true) {
            int open = source.indexOf("{{", at);
            if (open < 0) {
                literals.add(unescape(source.substring(at)));
                return;
            }
            int close = source.indexOf("}}", open);
            if (close < 0) {
                throw new IllegalArgumentException("--format " + source + ": \"{{\" without \"}}\"");
            }
            literals.add(unescape(source.substring(at, open)));
            actions.add(action(source.substring(open + 2, close).trim()));
            at = close + 2;
        }
    }

    /** A --format value that is a template, not a format name like table or json. */
    static boolean isTemplate(String format) {
        return format != null && format.contains("{{");
    }

    /** A header line for {@code table {{...}}}: each action shows as its field name in capitals. */
    String header() {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int i = 0; i < actions.size(); i++) {
            List<String> path = actions.get(i).path();
            out.append(path.isEmpty() ? "VALUE" : path.get(path.size() - 1).toUpperCase(java.util.Locale.ROOT))
                    .append(literals.get(i + 1));
        }
        return out.toString();
    }

    String render(JsonNode value) {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            JsonNode v = value;
            for (String field : a.path()) {
                v = field(v, field);
            }
            out.append(a.json() ? json(v) : text(v)).append(literals.get(i + 1));
        }
        return out.toString();
    }

    private Action action(String text) {
        boolean json = text.startsWith("json ");
        String expr = json ? text.substring(5).trim() : text;
        if (!expr.startsWith(".")) {
            throw new IllegalArgumentException("--format " + source + ": {{" + text
                    + "}} is not supported; use {{.Field.Path}}, {{json .Field.Path}} or {{.}}");
        }
        List<String> path = new ArrayList<>();
        for (String part : expr.substring(1).split("\\.")) {
            if (!part.isEmpty()) {
                if (!part.matches("[A-Za-z0-9_]+")) {
                    throw new IllegalArgumentException("--format " + source + ": \"" + part + "\" in {{" + text
                            + "}} is not a field name");
                }
                path.add(part);
            }
        }
        return new Action(json, path);
    }

    private static JsonNode field(JsonNode v, String name) {
        if (v == null || !v.isObject()) {
            return null;
        }
        if (v.has(name)) {
            return v.get(name);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "<no value>";
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        if (v.isArray()) {
            boolean plain = true;
            for (JsonNode e : v) {
                plain &= e.isValueNode();
            }
            if (plain) {
                List<String> parts = new ArrayList<>();
                v.forEach(e -> parts.add(e.asText()));
                return String.join(",", parts);
            }
        }
        return json(v);
    }

    private static String json(JsonNode v) {
        try {
            return v == null ? "null" : JSON.writeValueAsString(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** \t and \n as typed in a shell's single quotes, as Docker reads them. */
    private static String unescape(String s) {
        return s.replace("\\t", "\t").replace("\\n", "\n");
    }
}
