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
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(200);
        o.setSplitLines(false);
        return new Yaml(o).dump(model);
    }

    public static String json(Object model) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(model);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
