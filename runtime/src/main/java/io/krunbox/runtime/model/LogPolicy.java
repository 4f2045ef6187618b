package io.krunbox.runtime.model;

import java.util.List;

/**
 * How big a box's log may grow: {@code maxBytes} per file, {@code maxFiles} files in all (the
 * current one and the rotated {@code .1}, {@code .2}, ...), as Docker's {@code --log-opt
 * max-size=10m,max-file=3} and compose's {@code logging.options}. The default is Docker's
 * {@code local} driver's, 20 MiB times 5, so a chatty box cannot fill the disk.
 */
public record LogPolicy(long maxBytes, int maxFiles) {
    public static final LogPolicy DEFAULT = new LogPolicy(20L << 20, 5);
    static final long MIN_BYTES = 1024;

    public LogPolicy {
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException("log max-size must be at least 1k, got " + maxBytes + " bytes");
        }
        if (maxFiles < 1 || maxFiles > 100) {
            throw new IllegalArgumentException("log max-file must be between 1 and 100, got " + maxFiles);
        }
    }

    /** {@code base} changed by {@code --log-opt} entries ({@code max-size=10m}, {@code max-file=3}; {@code a=1,b=2} too). */
    public static LogPolicy parse(List<String> options, LogPolicy base) {
        long bytes = base.maxBytes;
        int files = base.maxFiles;
        for (String option : options) {
            for (String o : option.split(",")) {
                int eq = o.indexOf('=');
                String key = eq < 0 ? o.strip() : o.substring(0, eq).strip();
                String value = eq < 0 ? "" : o.substring(eq + 1).strip();
                switch (key) {
                    case "max-size" -> bytes = ByteSize.parseBytes(value);
                    case "max-file" -> {
                        if (!value.matches("\\d{1,3}")) {
                            throw new IllegalArgumentException("log option max-file=" + value + " is not a number of files");
                        }
                        files = Integer.parseInt(value);
                    }
                    default -> throw new IllegalArgumentException("log option \"" + o + "\" is not known: give max-size=SIZE"
                            + " or max-file=N");
                }
            }
        }
        return new LogPolicy(bytes, files);
    }
}
