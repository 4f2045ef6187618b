package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.BoxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --env-file}: KEY=VALUE lines, blank lines and {@code #} comments skipped; KEY alone takes this shell's value. */
final class EnvFile {
    private EnvFile() {}

    static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new BoxException("cannot read env file " + file + ": " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("=") || t.contains(" ") && (!t.contains("=") || t.indexOf(' ') < t.indexOf('='))) {
                throw new BoxException(file + ":" + n + ": \"" + t + "\" is not KEY=VALUE");
            }
            if (t.contains("=")) {
                out.add(t);
            } else if (Invocation.current().env(t) != null) {
                out.add(t + "=" + Invocation.current().env(t));
            }
        }
        return out;
    }
}
