package io.krunbox.runtime.model;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How a box is stopped: the signal its init passes to the workload, then SIGKILL after the
 * grace period (Docker's {@code --stop-signal} and {@code --stop-timeout}).
 *
 * @param signal a name without {@code SIG} (TERM, INT, QUIT, HUP, USR1, USR2, KILL)
 */
public record StopPolicy(String signal, Duration grace) {
    /** What guest-init passes on to the workload, and KILL, which ends the box outright. */
    static final List<String> SIGNALS = List.of("TERM", "INT", "QUIT", "HUP", "USR1", "USR2", "KILL");
    private static final int[] NUMBERS = {15, 2, 3, 1, 10, 12, 9};
    public static final StopPolicy DEFAULT = new StopPolicy("TERM", Duration.ofSeconds(10));

    public StopPolicy {
        signal = signal == null ? DEFAULT.signal : canonical(signal);
        grace = grace == null ? DEFAULT.grace : grace;
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the stop timeout must not be negative, got " + grace.toSeconds() + "s");
        }
    }

    /** The signal's number on Linux (TERM is 15). */
    public int number() {
        return NUMBERS[SIGNALS.indexOf(signal)];
    }

    /** {@code SIGINT}, {@code int}, {@code 2} all give {@code INT}; a signal the box cannot be stopped with is refused. */
    public static String canonical(String signal) {
        String s = signal.trim().toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        if (s.matches("[0-9]{1,2}")) {
            int n = Integer.parseInt(s);
            for (int i = 0; i < NUMBERS.length; i++) {
                if (NUMBERS[i] == n) {
                    return SIGNALS.get(i);
                }
            }
        } else if (SIGNALS.contains(s)) {
            return s;
        }
        throw new IllegalArgumentException("stop signal \"" + signal + "\" cannot stop a box: use one of "
                + String.join(", ", SIGNALS.stream().map(n -> "SIG" + n).toList()));
    }
}
