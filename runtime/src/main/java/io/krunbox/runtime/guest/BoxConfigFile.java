package io.krunbox.runtime.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.krunbox.oci.ImageConfig;
import io.krunbox.runtime.BoxException;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /.krunbox/config.json}: what guest-init runs, merged from the image's config and
 * the box spec the way Docker merges them.
 */
public record BoxConfigFile(List<String> argv, List<String> env, String workdir, String user, String hostname,
                            Isolation isolation) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BoxConfigFile {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
    }

    public static BoxConfigFile of(BoxSpec spec, ImageConfig image, String hostname, Isolation isolation) {
        List<String> argv = new ArrayList<>();
        if (spec.entrypoint() != null) {
            argv.addAll(spec.entrypoint());
            if (spec.command() != null) {
                argv.addAll(spec.command());
            }
        } else {
            argv.addAll(image.entrypoint());
            argv.addAll(spec.command() != null ? spec.command() : image.cmd());
        }
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new BoxException("no command to run in " + spec.image()
                    + ": the image has no Entrypoint or Cmd, so give one after the image name");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : image.env()) {
            put(env, e);
        }
        for (String e : spec.env()) {
            put(env, e);
        }
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        String workdir = spec.workdir() != null ? spec.workdir() : image.workingDir().isEmpty() ? "/" : image.workingDir();
        if (!workdir.startsWith("/")) {
            throw new BoxException("working directory \"" + workdir + "\" must be an absolute path");
        }
        String user = spec.user() != null ? spec.user() : image.user();
        return new BoxConfigFile(argv, envList, workdir, user, hostname, isolation);
    }

    private static void put(Map<String, String> env, String entry) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("isolation", isolation.toString());
        m.put("argv", argv);
        m.put("env", env);
        m.put("workdir", workdir);
        m.put("user", user);
        m.put("hostname", hostname);
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void writeInto(Path rootfs) throws IOException {
        Path dir = rootfs.resolve(".krunbox");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), toJson());
    }
}
