package io.krunbox.oci.registry;

import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A registry's {@code WWW-Authenticate} challenge: {@code Bearer realm="...",service="...",scope="..."}
 * or {@code Basic realm="..."}. Parameters come in any order, quoted or not.
 */
public record WwwAuthenticate(String scheme, Map<String, String> params) {
    public static WwwAuthenticate parse(String header) {
        String h = header.trim();
        int sp = h.indexOf(' ');
        String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = sp < 0 ? h.length() : sp + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    value.append(h.charAt(i++));
                }
                i++;
            } else {
                while (i < h.length() && h.charAt(i) != ',') {
                    value.append(h.charAt(i++));
                }
            }
            params.put(key, value.toString().trim());
        }
        return new WwwAuthenticate(scheme, Map.copyOf(params));
    }

    public String param(String name) {
        return params.get(name);
    }
}
