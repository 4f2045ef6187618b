package io.krunbox.shell;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox healthcheck run BOX}: the box's health check, once, now (as Podman's). */
@Command(name = "healthcheck", mixinStandardHelpOptions = true, description = "Run a box's health check.",
        subcommands = HealthcheckCommand.Run.class)
public final class HealthcheckCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = {
            "Run the box's health check once now and record the result; print healthy or unhealthy.",
            "Exit status: 0 healthy, 1 unhealthy, 125 when there is no check or the box is not running."})
    public static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "BOX")
        String box;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                boolean ok = c.boxes.healthcheck(c.boxes.get(box));
                spec.commandLine().getOut().println(ok ? "healthy" : "unhealthy");
                spec.commandLine().getOut().flush();
                return ok ? 0 : 1;
            }
        }
    }
}
