package io.krunbox.runtime.network;

/** Dotted-quad IPv4 addresses to and from ints. */
public final class Ipv4 {
    private Ipv4() {}

    public static int parse(String text) {
        String[] p = text.split("\\.", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
        }
        int v = 0;
        for (String s : p) {
            if (!s.matches("\\d{1,3}") || Integer.parseInt(s) > 255) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
            }
            v = v << 8 | Integer.parseInt(s);
        }
        return v;
    }

    public static String format(int v) {
        return (v >>> 24) + "." + (v >>> 16 & 255) + "." + (v >>> 8 & 255) + "." + (v & 255);
    }
}
