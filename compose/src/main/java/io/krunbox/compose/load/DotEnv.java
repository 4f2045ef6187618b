package io.krunbox.compose.load;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.compose.yaml.ComposeException;
import io.krunbox.compose.yaml.Loc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code .env} and {@code env_file} syntax: KEY=VALUE lines, {@code #} comments, optional quotes, {@code export}. */
public final class DotEnv {
    private DotEnv() {}

    public static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ComposeException(List.of(file + ":1:1: cannot read: " + e.getMessage()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String t = lines.get(n).strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("export ")) {
                t = t.substring(7).strip();
            }
            int eq = t.indexOf('=');
            String key = eq < 0 ? t : t.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw new ComposeException(new Loc(file.toString(), n + 1, 1), null, "\"" + lines.get(n).strip()
                        + "\" is not KEY=VALUE");
            }
            if (eq < 0) {
                String v = Invocation.current().env(key);
                if (v != null) {
                    out.put(key, v);
                }
                continue;
            }
            String v = t.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                boolean dq = v.startsWith("\"");
                v = v.substring(1, v.length() - 1);
                if (dq) {
                    v = v.replace("\\n", "\n").replace("\\\"", "\"");
                }
            } else if (v.contains(" #")) {
                v = v.substring(0, v.indexOf(" #")).strip();
            }
            out.put(key, v);
        }
        return out;
    }
}
