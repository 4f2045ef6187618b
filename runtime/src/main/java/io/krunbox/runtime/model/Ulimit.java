package io.krunbox.runtime.model;

import java.util.List;

/**
 * A resource limit set by guest-init for every process of the box ({@code --ulimit nofile=1024:2048},
 * compose {@code ulimits}); -1 is unlimited.
 */
public record Ulimit(String name, long soft, long hard) {
    /** The names setrlimit(2) knows, as Docker spells them. */
    public static final List<String> NAMES = List.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack", "as");

    public Ulimit {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("ulimit \"" + name + "\" is not a resource: use one of "
                    + String.join(", ", NAMES));
        }
        if (soft < -1 || hard < -1) {
            throw new IllegalArgumentException("ulimit " + name + ": limits are numbers, or -1 for unlimited");
        }
        if (hard != -1 && (soft == -1 || soft > hard)) {
            throw new IllegalArgumentException("ulimit " + name + ": the soft limit " + show(soft)
                    + " is above the hard limit " + show(hard));
        }
    }

    /** {@code nofile=1024}, {@code nofile=1024:2048}, {@code core=-1}. */
    public static Ulimit parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("ulimit \"" + text + "\" is not NAME=SOFT[:HARD] (e.g. nofile=1024:2048)");
        }
        String[] v = text.substring(eq + 1).split(":", -1);
        if (v.length > 2) {
            throw new IllegalArgumentException("ulimit \"" + text + "\" is not NAME=SOFT[:HARD] (e.g. nofile=1024:2048)");
        }
        long soft = number(text, v[0]);
        return new Ulimit(text.substring(0, eq), soft, v.length == 2 ? number(text, v[1]) : soft);
    }

    private static long number(String text, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ulimit \"" + text + "\": \"" + v + "\" is not a number");
        }
    }

    private static String show(long v) {
        return v == -1 ? "unlimited" : Long.toString(v);
    }

    @Override
    public String toString() {
        return name + "=" + soft + ":" + hard;
    }
}
