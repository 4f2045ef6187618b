package io.krunbox.runtime.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as Docker writes them: {@code 512m}, {@code 1g}, {@code 64k}, {@code 1048576} (bytes), optional "b". */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmgt]?)b?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {}

    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size: use a number with b, k, m or g, e.g. 512m");
        }
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return (long) (n * (1L << shift));
    }

    /** Whole MiB, rounded down. */
    public static int parseMib(String text) {
        long mib = parseBytes(text) >> 20;
        if (mib > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("\"" + text + "\" is too large");
        }
        return (int) mib;
    }
}
