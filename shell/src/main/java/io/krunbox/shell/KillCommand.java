package io.krunbox.shell;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox kill}: send a signal (default KILL) to boxes' init, which passes it to the workload. */
@Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal to running boxes.")
public final class KillCommand implements Callable<Integer> {
    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "Signal name or number (default: KILL).")
    String signal = "KILL";

    @Parameters(arity = "1..*", paramLabel = "BOX")
    List<String> targets;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return BoxCommands.each(targets, spec, (c, b) -> c.boxes.kill(b, signal));
    }
}
