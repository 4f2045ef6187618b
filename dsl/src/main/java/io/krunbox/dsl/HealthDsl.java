package io.krunbox.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code healthcheck { exec 'pg_isready'; interval 2.s; retries 10 }}. */
public final class HealthDsl extends DslBlock {
    final Map<String, Object> doc = new LinkedHashMap<>();

    /** Runs the command directly (compose's {@code CMD}). */
    public HealthDsl exec(String... argv) {
        List<String> test = new ArrayList<>(List.of("CMD"));
        test.addAll(List.of(argv));
        doc.put("test", test);
        return this;
    }

    /** Runs the command with {@code sh -c} (compose's {@code CMD-SHELL}). */
    public HealthDsl shell(String command) {
        doc.put("test", List.of("CMD-SHELL", command));
        return this;
    }

    public HealthDsl interval(Object d) {
        doc.put("interval", Strings.of(d));
        return this;
    }

    public HealthDsl timeout(Object d) {
        doc.put("timeout", Strings.of(d));
        return this;
    }

    public HealthDsl startPeriod(Object d) {
        doc.put("start_period", Strings.of(d));
        return this;
    }

    public HealthDsl retries(int n) {
        doc.put("retries", n);
        return this;
    }

    public HealthDsl disable() {
        doc.put("disable", true);
        return this;
    }
}
