package io.krunbox.runtime.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.ImageJson;
import io.krunbox.runtime.guest.BoxConfigFile;
import java.util.List;

/**
 * What to run in a box: argv, environment, working directory, user, whether on a terminal, and
 * whether detached (started in the background with no stdio, its exit code nobody's).
 */
public record ExecRequest(List<String> argv, List<String> env, String workdir, String user, boolean tty, int rows,
                          int cols, boolean detach) {
    public ExecRequest {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
    }

    public ExecRequest(List<String> argv, List<String> env, String workdir, String user, boolean tty, int rows, int cols) {
        this(argv, env, workdir, user, tty, rows, cols, false);
    }

    /** This command started in the background ({@code exec -d}): the exec ends once it runs. */
    public ExecRequest detached() {
        return new ExecRequest(argv, env, workdir, user, false, rows, cols, true);
    }

    /**
     * A command run as the box's own processes run: the environment, working directory and user of
     * its config.json, {@code extraEnv} (KEY=VALUE) over that environment, and {@code workdir} or
     * {@code user} instead of the box's when not null.
     */
    public static ExecRequest asBox(BoxConfigFile box, List<String> argv, List<String> extraEnv, String workdir,
                                    String user, boolean tty) {
        return new ExecRequest(argv, BoxConfigFile.overlaid(box.env(), extraEnv), workdir != null ? workdir : box.workdir(),
                user != null ? user : box.user(), tty, 24, 80);
    }

    /** As above, for the box whose config.json is {@code boxConfig}. */
    public static ExecRequest asBox(java.nio.file.Path boxConfig, List<String> argv, List<String> extraEnv,
                                    String workdir, String user, boolean tty) throws java.io.IOException {
        return asBox(BoxConfigFile.read(boxConfig), argv, extraEnv, workdir, user, tty);
    }

    public String toJson() {
        ObjectNode o = ImageJson.JSON.createObjectNode();
        ArrayNode a = o.putArray("argv");
        argv.forEach(a::add);
        ArrayNode e = o.putArray("env");
        env.forEach(e::add);
        o.put("workdir", workdir).put("user", user).put("tty", tty).put("rows", rows).put("cols", cols);
        if (detach) {
            o.put("detach", true);
        }
        return o.toString();
    }
}
