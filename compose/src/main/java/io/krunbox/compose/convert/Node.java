package io.krunbox.compose.convert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value of the normalized compose model (maps, lists, strings, numbers, booleans), read through
 * checked accessors that name its path when it is not of the type asked for: the one place where
 * the model's plain collections are looked into.
 */
final class Node {
    private final String path;
    private final Object value;

    private Node(String path, Object value) {
        this.path = path;
        this.value = value;
    }

    static Node of(String path, Object value) {
        return new Node(path, value);
    }

    String path() {
        return path;
    }

    boolean present() {
        return value != null;
    }

    boolean isMapping() {
        return value instanceof Map<?, ?>;
    }


    /** The value under {@code key} of this mapping (absent: a node that is not present). */
    Node get(String key) {
        return new Node(path.isEmpty() ? key : path + "." + key, value == null ? null : asMap().get(key));
    }

    String string() {
        return value == null ? null : as(String.class, "a string");
    }

    String string(String key) {
        return get(key).string();
    }

    /** A scalar as text, whatever its YAML type (a size given as 64m or as 67108864). */
    String text() {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalStateException("the normalized compose model has " + path + " as "
                    + value.getClass().getSimpleName() + ", not a scalar");
        }
        return String.valueOf(value);
    }

    /** A whole number, however YAML gave it (Integer or Long). */
    Long number() {
        return value == null ? null : as(Number.class, "a number").longValue();
    }

    Long number(String key) {
        return get(key).number();
    }

    /** True only for a boolean true. */
    boolean flag(String key) {
        Node n = get(key);
        return n.present() && n.as(Boolean.class, "a boolean");
    }

    List<String> strings(String key) {
        Node n = get(key);
        if (!n.present()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node e : n.elements()) {
            out.add(e.string());
        }
        return out;
    }

    /** A mapping of strings; a null value stays null (an environment entry without a value). */
    Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        get(key).entries().forEach((k, v) -> out.put(k, v.string()));
        return out;
    }

    /** The entries of this mapping in order, each as a node (none when absent). */
    Map<String, Node> entries() {
        Map<String, Node> out = new LinkedHashMap<>();
        if (value != null) {
            asMap().forEach((k, v) -> out.put(String.valueOf(k), new Node(path + "." + k, v)));
        }
        return out;
    }

    Map<String, Node> entries(String key) {
        return get(key).entries();
    }

    /** The elements of this list, each as a node (none when absent). */
    List<Node> elements() {
        if (value == null) {
            return List.of();
        }
        List<?> list = as(List.class, "a list");
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(new Node(path + "[" + i + "]", list.get(i)));
        }
        return Collections.unmodifiableList(out);
    }

    List<Node> elements(String key) {
        return get(key).elements();
    }

    private Map<?, ?> asMap() {
        return as(Map.class, "a mapping");
    }

    private <T> T as(Class<T> type, String what) {
        if (!type.isInstance(value)) {
            throw new IllegalStateException("the normalized compose model has " + (path.isEmpty() ? "its root" : path)
                    + " as " + value.getClass().getSimpleName() + ", not " + what);
        }
        return type.cast(value);
    }
}
