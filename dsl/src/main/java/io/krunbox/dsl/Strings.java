package io.krunbox.dsl;

import java.util.LinkedHashMap;
import java.util.Map;

/** DSL values as compose text: numbers, booleans, durations and sizes written the way a compose file would. */
final class Strings {
    private Strings() {}

    static String of(Object v) {
        if (v instanceof java.time.Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        return String.valueOf(v);
    }

    static Map<String, String> of(Map<String, ?> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? null : of(v)));
        return out;
    }
}
