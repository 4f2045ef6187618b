package io.krunbox.compose.convert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The normalized model as canonical compose YAML or JSON ({@code compose config}). */
public final class ConfigWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ConfigWriter() {}

    public static String yaml(Map<String, Object> model) {
        return yamlOf(printable(model));
    }

    /** The model as Compose prints it: empty top-level networks and volumes left out, {@code $} escaped as {@code $$}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> printable(Map<String, Object> model) {
        Map<String, Object> out = (Map<String, Object>) escaped(model);
        for (String k : java.util.List.of("networks", "volumes")) {
            if (out.get(k) instanceof Map<?, ?> m && m.isEmpty()) {
                out.remove(k);
            }
        }
        return out;
    }

    private static Object escaped(Object v) {
        if (v instanceof String s) {
            return s.replace("$", "$$");
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, escaped(x)));
            return out;
        }
        if (v instanceof java.util.List<?> l) {
            return l.stream().map(ConfigWriter::escaped).toList();
        }
        return v;
    }

    private static String yamlOf(Map<String, Object> model) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(200);
        o.setSplitLines(false);
        return new Yaml(o).dump(model);
    }

    @SuppressWarnings("unchecked")
    public static String json(Object model) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(model instanceof Map<?, ?> m
                    ? printable((Map<String, Object>) m) : model);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
