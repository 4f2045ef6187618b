package io.krunbox.runtime.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.ImageJson;
import java.util.List;

/** What to run in a box: argv, environment, working directory, user, and whether on a terminal. */
public record ExecRequest(List<String> argv, List<String> env, String workdir, String user, boolean tty, int rows,
                          int cols) {
    public ExecRequest {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
    }

    /**
     * A command run as the box's own processes run: the environment, working directory and user of
     * its config.json, {@code extraEnv} (KEY=VALUE) over that environment, and {@code workdir} or
     * {@code user} instead of the box's when not null.
     */
    public static ExecRequest asBox(java.nio.file.Path boxConfig, List<String> argv, List<String> extraEnv,
                                    String workdir, String user, boolean tty) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode config = ImageJson.parse(java.nio.file.Files.readAllBytes(boxConfig),
                "box config " + boxConfig);
        java.util.Map<String, String> vars = new java.util.LinkedHashMap<>();
        config.path("env").forEach(e -> put(vars, e.asText()));
        extraEnv.forEach(e -> put(vars, e));
        List<String> env = vars.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return new ExecRequest(argv, env, workdir != null ? workdir : config.path("workdir").asText("/"),
                user != null ? user : config.path("user").asText(""), tty, 24, 80);
    }

    private static void put(java.util.Map<String, String> vars, String entry) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
            vars.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
    }

    String toJson() {
        ObjectNode o = ImageJson.JSON.createObjectNode();
        ArrayNode a = o.putArray("argv");
        argv.forEach(a::add);
        ArrayNode e = o.putArray("env");
        env.forEach(e::add);
        o.put("workdir", workdir).put("user", user).put("tty", tty).put("rows", rows).put("cols", cols);
        return o.toString();
    }
}
