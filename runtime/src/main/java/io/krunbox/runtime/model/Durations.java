package io.krunbox.runtime.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Docker and compose write them: {@code 30s}, {@code 500ms}, {@code 1m30s}, {@code 2h}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|ns|s|m|h)");

    private Durations() {}

    public static Duration parse(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofMillis((long) (n * 3_600_000));
                case "m" -> Duration.ofMillis((long) (n * 60_000));
                case "s" -> Duration.ofMillis((long) (n * 1000));
                case "ms" -> Duration.ofMillis((long) n);
                case "us" -> Duration.ofNanos((long) (n * 1000));
                default -> Duration.ofNanos((long) n);
            });
            end = m.end();
        }
        if (end != t.length() || t.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration: use e.g. 30s, 500ms, 1m30s or 2h");
        }
        return total;
    }
}
