package io.krunbox.runtime.isolation.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * A box's libkrun calls as {@code krunbox-vmm} reads them: a header line, then a line per call,
 * its name and its arguments ({@code s<hex>} a string, {@code z} NULL, {@code n<decimal>},
 * {@code b0}/{@code b1}, {@code m<hex>} a MAC, {@code a<count>:<hex>,...} a string array).
 * Strings go as hex, so no path can break a line or an argument.
 */
public final class VmmCalls {
    static final String HEADER = "krunbox-vmm-calls 1";
    private static final HexFormat HEX = HexFormat.of();

    private VmmCalls() {}

    public static void write(Path file, List<KrunCall> calls) throws IOException {
        Files.writeString(file, render(calls), StandardCharsets.UTF_8);
    }

    static String render(List<KrunCall> calls) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (KrunCall c : calls) {
            out.append(c.function());
            for (Object a : c.args()) {
                out.append(' ').append(arg(a));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String arg(Object a) {
        if (a == null) {
            return "z";
        }
        if (a instanceof String s) {
            return "s" + hex(s);
        }
        if (a instanceof Boolean b) {
            return b ? "b1" : "b0";
        }
        if (a instanceof Number n) {
            return "n" + n.longValue();
        }
        if (a instanceof KrunCall.Mac m) {
            return "m" + HEX.formatHex(m.bytes());
        }
        if (a instanceof List<?> l) {
            StringBuilder b = new StringBuilder("a").append(l.size()).append(':');
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ",").append(hex((String) l.get(i)));
            }
            return b.toString();
        }
        throw new IllegalArgumentException("a libkrun call argument of type " + a.getClass().getSimpleName());
    }

    private static String hex(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a libkrun call argument with a NUL character: " + s.replace('\0', '?'));
        }
        return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
