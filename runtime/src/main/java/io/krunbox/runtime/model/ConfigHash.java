package io.krunbox.runtime.model;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digest of a service's configuration: its records rendered field by field, maps in key order,
 * so a service has the same hash however it was written (compose file, DSL script, Java builder)
 * and in every JVM. {@code up} leaves a box whose hash is unchanged alone.
 */
final class ConfigHash {
    private ConfigHash() {}

    static String of(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object p : parts) {
            canonical(p, text);
            text.append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", d[i] & 0xff));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void canonical(Object o, StringBuilder out) {
        if (o == null) {
            out.append('~');
        } else if (o instanceof Record r) {
            out.append(r.getClass().getSimpleName()).append('{');
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                out.append(c.getName()).append('=');
                try {
                    canonical(c.getAccessor().invoke(r), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                out.append(';');
            }
            out.append('}');
        } else if (o instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append('{');
            sorted.forEach((k, v) -> {
                out.append(k).append('=');
                canonical(v, out);
                out.append(',');
            });
            out.append('}');
        } else if (o instanceof Collection<?> c) {
            out.append('[');
            for (Object e : c) {
                canonical(e, out);
                out.append(',');
            }
            out.append(']');
        } else if (o instanceof String s) {
            out.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else {
            out.append(o);
        }
    }
}
