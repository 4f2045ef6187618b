package io.krunbox.runtime.model;

import java.util.Locale;

/** When a box's supervisor starts it again: {@code no}, {@code always}, {@code on-failure[:N]}, {@code unless-stopped}. */
public record RestartPolicy(Mode mode, int maxRetries) {
    public enum Mode { NO, ALWAYS, ON_FAILURE, UNLESS_STOPPED }

    public static final RestartPolicy NO = new RestartPolicy(Mode.NO, 0);

    public static RestartPolicy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String[] parts = t.split(":", 2);
        Mode mode = switch (parts[0]) {
            case "no" -> Mode.NO;
            case "always" -> Mode.ALWAYS;
            case "on-failure" -> Mode.ON_FAILURE;
            case "unless-stopped" -> Mode.UNLESS_STOPPED;
            default -> throw new IllegalArgumentException("restart policy \"" + text
                    + "\" is not no, always, on-failure[:N] or unless-stopped");
        };
        int max = 0;
        if (parts.length == 2) {
            if (mode != Mode.ON_FAILURE || !parts[1].matches("\\d+")) {
                throw new IllegalArgumentException("restart policy \"" + text + "\": only on-failure takes a count, e.g."
                        + " on-failure:3");
            }
            max = Integer.parseInt(parts[1]);
        }
        return new RestartPolicy(mode, max);
    }

    /** Whether a box that ended with {@code exitCode} after {@code restarts} restarts goes again. */
    public boolean restarts(int exitCode, int restarts, boolean stoppedByUser) {
        return switch (mode) {
            case NO -> false;
            case ALWAYS -> !stoppedByUser;
            case UNLESS_STOPPED -> !stoppedByUser;
            case ON_FAILURE -> !stoppedByUser && exitCode != 0 && (maxRetries == 0 || restarts < maxRetries);
        };
    }

    /** The wait before restart number {@code restarts} (from 1): 100 ms, doubling, at most 10 s. */
    public java.time.Duration backoff(int restarts) {
        return java.time.Duration.ofMillis(Math.min(10_000L, 100L << Math.min(Math.max(restarts, 1) - 1, 10)));
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-') + (maxRetries > 0 ? ":" + maxRetries : "");
    }
}
