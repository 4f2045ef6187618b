package io.krunbox.dsl;

import io.krunbox.runtime.model.TopologyBuilder;

/** {@code healthcheck { exec 'pg_isready'; interval 2.s; retries 10 }}: the words of {@link TopologyBuilder.HealthBuilder}. */
public final class HealthDsl extends DslBlock {
    private final TopologyBuilder.HealthBuilder health;

    HealthDsl(TopologyBuilder.HealthBuilder health) {
        this.health = health;
    }

    /** Runs the command directly (compose's {@code CMD}). */
    public HealthDsl exec(String... argv) {
        health.exec(argv);
        return this;
    }

    /** Runs the command with {@code sh -c} (compose's {@code CMD-SHELL}). */
    public HealthDsl shell(String command) {
        health.shell(command);
        return this;
    }

    /** {@code interval 2.s} or {@code interval '1m30s'}. */
    public HealthDsl interval(Object d) {
        health.interval(Strings.duration(d));
        return this;
    }

    public HealthDsl timeout(Object d) {
        health.timeout(Strings.duration(d));
        return this;
    }

    public HealthDsl startPeriod(Object d) {
        health.startPeriod(Strings.duration(d));
        return this;
    }

    public HealthDsl startInterval(Object d) {
        health.startInterval(Strings.duration(d));
        return this;
    }

    public HealthDsl retries(int n) {
        health.retries(n);
        return this;
    }

    public HealthDsl disable() {
        health.disable();
        return this;
    }
}
