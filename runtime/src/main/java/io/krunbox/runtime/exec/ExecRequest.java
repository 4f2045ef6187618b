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
