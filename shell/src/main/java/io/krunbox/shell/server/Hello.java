package io.krunbox.shell.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client's call, as its first frame carries it: NUL-terminated fields
 * {@code identity, cwd, umask, rows, columns, argc, argv..., envc, env...}.
 */
record Hello(String identity, String cwd, int umask, int rows, int columns, List<String> argv, Map<String, String> env) {
    static final int MAX_ITEMS = 100_000;

    /** The first field alone (the client's build), or null when the payload has none of a sane length. */
    static String identityOf(byte[] payload) {
        for (int i = 0; i < Math.min(payload.length, 4096); i++) {
            if (payload[i] == 0) {
                return new String(payload, 0, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static Hello parse(byte[] payload) throws IOException {
        int nuls = 0;
        for (byte b : payload) {
            nuls += b == 0 ? 1 : 0;
        }
        if (nuls > 2 * MAX_ITEMS + 7) { // counted before any string is made
            throw new IOException("a malformed call (" + nuls + " fields)");
        }
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                fields.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != payload.length || fields.size() < 7) {
            throw new IOException("a malformed call (" + fields.size() + " fields)");
        }
        int at = 0;
        String identity = fields.get(at++);
        String cwd = fields.get(at++);
        int umask = number(fields.get(at++));
        if (umask > 0777) {
            throw new IOException("a malformed call (umask " + Integer.toOctalString(umask) + ")");
        }
        int rows = number(fields.get(at++));
        int columns = number(fields.get(at++));
        int argc = number(fields.get(at++));
        if (argc > MAX_ITEMS || at + argc >= fields.size()) {
            throw new IOException("a malformed call (argc " + argc + ")");
        }
        List<String> argv = List.copyOf(fields.subList(at, at + argc));
        at += argc;
        int envc = number(fields.get(at++));
        if (envc > MAX_ITEMS || at + envc != fields.size()) {
            throw new IOException("a malformed call (envc " + envc + ")");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : fields.subList(at, at + envc)) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        if (!cwd.startsWith("/")) {
            throw new IOException("a malformed call (working directory " + cwd + ")");
        }
        return new Hello(identity, cwd, umask, rows, columns, argv, env);
    }

    private static int number(String s) throws IOException {
        try {
            int n = Integer.parseInt(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("a malformed call (" + s + " is not a count)");
        }
    }
}
