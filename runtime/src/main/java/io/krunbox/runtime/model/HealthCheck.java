package io.krunbox.runtime.model;

import java.time.Duration;
import java.util.List;

/**
 * A health check run by the box's supervisor: {@code test} is executed in the box every
 * {@code interval}; it fails on a non-zero exit or after {@code timeout}; {@code retries}
 * failures in a row make the box unhealthy; failures in {@code startPeriod} do not count, and
 * until the first success in it the check runs every {@code startInterval} (zero: every {@code interval}).
 */
public record HealthCheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries,
                          Duration startInterval) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 3;

    public HealthCheck {
        test = List.copyOf(test);
        startInterval = startInterval == null ? Duration.ZERO : startInterval; // a spec stored before it existed
        if (startInterval.isNegative()) {
            throw new IllegalArgumentException("health check start interval must not be negative");
        }
        if (test.isEmpty()) {
            throw new IllegalArgumentException("a health check needs a command");
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check interval and timeout must be positive");
        }
        if (retries < 1) {
            throw new IllegalArgumentException("health check retries must be at least 1, got " + retries);
        }
    }

    public HealthCheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {
        this(test, interval, timeout, startPeriod, retries, Duration.ZERO);
    }

    /** A command run as is ({@code CMD} in compose). */
    public static HealthCheck exec(String... argv) {
        return new HealthCheck(List.of(argv), DEFAULT_INTERVAL, DEFAULT_TIMEOUT, Duration.ZERO, DEFAULT_RETRIES);
    }

    /** A shell command ({@code CMD-SHELL} in compose, {@code --health-cmd} on the command line). */
    public static HealthCheck shell(String command) {
        return new HealthCheck(List.of("sh", "-c", command), DEFAULT_INTERVAL, DEFAULT_TIMEOUT, Duration.ZERO,
                DEFAULT_RETRIES);
    }

    public HealthCheck withTiming(Duration interval, Duration timeout, Duration startPeriod, int retries) {
        return new HealthCheck(test, interval, timeout, startPeriod, retries, startInterval);
    }

    public HealthCheck withStartInterval(Duration d) {
        return new HealthCheck(test, interval, timeout, startPeriod, retries, d);
    }
}
