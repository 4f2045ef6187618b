package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox exec}: run a command in a running box; its exit code is krunbox's. */
@Command(name = "exec", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a command in a running box.",
                "Exit status: the command's; 126 when it cannot be run, 127 when it is not found, 125 for krunbox's errors."})
public final class ExecCommand implements Callable<Integer>, TakesCommandLine {
    @Option(names = {"-i", "--interactive"}, description = "Send standard input to the command.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Run the command on a terminal in the box.")
    boolean tty;

    @Option(names = {"-d", "--detach"}, description = "Start the command in the background and return (no output).")
    boolean detach;

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
            return exec(c, c.boxes.get(box), command, env, workdir, user, interactive, tty, detach);
        }
    }

    /**
     * Runs {@code command} in box {@code b} with the call's stdio: what {@code exec} and
     * {@code compose exec} do. {@code env}: KEY=VALUE, or KEY for the caller's value.
     */
    static int exec(BoxCommands c, BoxRecord b, List<String> command, List<String> env, String workdir, String user,
                    boolean interactive, boolean tty, boolean detach) throws Exception {
        List<String> extra = env.stream()
                .map(e -> e.contains("=") ? e : e + "=" + Invocation.current().env().getOrDefault(e, "")).toList();
        ExecRequest request = ExecRequest.asBox(c.boxes.config(b), command, extra, workdir, user, tty);
        if (detach) {
            request = request.detached();
        } else if (tty && Invocation.current().terminal()) {
            return TerminalExec.run(c.boxes, b, request);
        }
        try (ExecSession s = c.boxes.exec(b, request)) {
            // interrupted: the command's session ends as it would with this process
            Invocation.current().onSignal(new Thread(() -> closeQuietly(s)));
            if (interactive && !detach) {
                s.pumpStdin(Invocation.current().stdin());
            } else {
                s.closeStdin();
            }
            return s.relay(Invocation.current().stdout(), Invocation.current().stderr());
        }
    }

    private static void closeQuietly(ExecSession s) {
        try {
            s.close();
        } catch (java.io.IOException ignored) {
            // already closed
        }
    }
}
