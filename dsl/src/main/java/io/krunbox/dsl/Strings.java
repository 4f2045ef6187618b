package io.krunbox.dsl;

import io.krunbox.runtime.model.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** DSL values as the builders take them: numbers, booleans and sizes as text, {@code 2.s} or {@code '1m30s'} as durations. */
final class Strings {
    private Strings() {}

    static String of(Object v) {
        if (v instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        return String.valueOf(v);
    }

    static Map<String, String> of(Map<String, ?> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? null : of(v)));
        return out;
    }

    static Duration duration(Object v) {
        return v instanceof Duration d ? d : Durations.parse(String.valueOf(v));
    }
}
