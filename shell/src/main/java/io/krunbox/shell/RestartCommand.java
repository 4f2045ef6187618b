package io.krunbox.shell;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox restart}: stop (SIGTERM, then SIGKILL) and start again, keeping what the box wrote. */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart boxes.")
public final class RestartCommand implements Callable<Integer> {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS",
            description = "Seconds before SIGKILL (default: the box's --stop-timeout, else 10).")
    Integer seconds;

    @Parameters(arity = "1..*", paramLabel = "BOX")
    List<String> targets;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return BoxCommands.each(targets, spec, (c, b) -> c.krunbox.restart(b, seconds == null ? null
                : Duration.ofSeconds(seconds)));
    }
}
