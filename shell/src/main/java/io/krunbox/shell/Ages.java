package io.krunbox.shell;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** "3 days ago", as Docker shows times. */
final class Ages {
    private Ages() {}

    static String ago(String isoTime) {
        if (isoTime == null) {
            return "N/A";
        }
        try {
            Duration d = Duration.between(Instant.parse(isoTime), Instant.now());
            long s = Math.max(0, d.getSeconds());
            if (s < 1) {
                return "Less than a second ago";
            }
            if (s < 60) {
                return s + " second" + (s == 1 ? "" : "s") + " ago";
            }
            long[] units = {60, 3600, 86400, 7 * 86400, 30 * 86400, 365 * 86400};
            String[] names = {"minute", "hour", "day", "week", "month", "year"};
            int i = units.length - 1;
            while (i > 0 && s < units[i]) {
                i--;
            }
            long n = s / units[i];
            return n + " " + names[i] + (n == 1 ? "" : "s") + " ago";
        } catch (DateTimeParseException e) {
            return "N/A";
        }
    }
}
