package io.krunbox.runtime.state;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.BoxSpec;
import java.io.IOException;
import java.time.Duration;

/**
 * A box spec as state.db stores it, so a box can be started again and inspected as created: the
 * model's records mapped by Jackson field by field (durations as ISO-8601, exact to the nanosecond),
 * with a {@code format} number; a spec without one is the first shape, read by {@link LegacySpecJson}.
 */
public final class BoxSpecJson {
    static final int FORMAT = 2;
    private static final ObjectMapper JSON = mapper();

    private BoxSpecJson() {}

    private static ObjectMapper mapper() {
        SimpleModule durations = new SimpleModule("durations");
        durations.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(d.toString());
            }
        });
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Duration.parse(p.getValueAsString());
            }
        });
        return new ObjectMapper().registerModule(durations)
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    }

    public static String write(BoxSpec s) {
        ObjectNode o = JSON.createObjectNode().put("format", FORMAT);
        o.setAll(tree(s));
        return o.toString();
    }

    /** The spec as the JSON tree it is stored as ({@code inspect} shows it as the box's Config). */
    public static ObjectNode tree(BoxSpec s) {
        return JSON.valueToTree(s);
    }

    /** The last specs read, by their text: listing boxes again (reconcile, ps, a topology) parses each once. */
    private static final java.util.Map<String, BoxSpec> READ = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, BoxSpec> eldest) {
                    return size() > 512;
                }
            });

    /** As {@link #read}, from the cache when this text was read before (a BoxSpec is immutable). */
    static BoxSpec readCached(String json) {
        BoxSpec s = READ.get(json);
        if (s == null) {
            s = read(json);
            READ.put(json, s);
        }
        return s;
    }

    public static BoxSpec read(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            if (!(o instanceof ObjectNode spec)) {
                throw new BoxException("state.db holds a box spec that is not a JSON object");
            }
            if (!spec.has("format")) {
                return LegacySpecJson.read(spec);
            }
            int format = spec.remove("format").asInt();
            if (format != FORMAT) {
                throw new BoxException("state.db holds a box spec of format " + format + ", which this krunbox does not"
                        + " know (it writes " + FORMAT + "): use the krunbox that made the box, or remove it");
            }
            return JSON.treeToValue(spec, BoxSpec.class);
        } catch (JsonProcessingException e) {
            throw new BoxException("state.db holds a box spec krunbox cannot read: " + e.getOriginalMessage(), e);
        }
    }
}
