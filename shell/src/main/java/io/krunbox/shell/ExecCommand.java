package io.krunbox.shell;

import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.oci.ImageJson;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox exec}: run a command in a running box; its exit code is krunbox's. */
@Command(name = "exec", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a command in a running box.",
                "Exit status: the command's; 126 when it cannot be run, 127 when it is not found, 125 for krunbox's errors."})
public final class ExecCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interactive"}, description = "Send standard input to the command.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Run the command on a terminal in the box.")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory (default: the box's).")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "User (default: the box's).")
    String user;

    @Parameters(index = "0", paramLabel = "BOX")
    String box;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        try (BoxCommands c = new BoxCommands()) {
            BoxRecord b = c.boxes.get(box);
            JsonNode config = ImageJson.parse(Files.readAllBytes(c.boxes.config(b)), "config of box " + b.name());
            Map<String, String> vars = new LinkedHashMap<>();
            config.path("env").forEach(e -> put(vars, e.asText()));
            env.forEach(e -> put(vars, e.contains("=") ? e : e + "=" + System.getenv().getOrDefault(e, "")));
            List<String> envList = new ArrayList<>();
            vars.forEach((k, v) -> envList.add(k + "=" + v));
            ExecRequest request = new ExecRequest(command, envList,
                    workdir != null ? workdir : config.path("workdir").asText("/"),
                    user != null ? user : config.path("user").asText(""), tty, 24, 80);
            if (tty && System.console() != null) {
                return TerminalExec.run(c.boxes, b, request);
            }
            try (ExecSession s = c.boxes.exec(b, request)) {
                if (interactive) {
                    s.pumpStdin(new FileInputStream(FileDescriptor.in));
                } else {
                    s.closeStdin();
                }
                return s.relay(new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
            }
        }
    }

    private static void put(Map<String, String> vars, String entry) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
            vars.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
    }
}
