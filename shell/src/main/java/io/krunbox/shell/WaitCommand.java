package io.krunbox.shell;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox wait}: block until boxes end; print each exit code. */
@Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait for boxes to end and print their exit codes.")
public final class WaitCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "BOX")
    List<String> targets;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (BoxCommands c = new BoxCommands()) {
            return await(c, targets, spec.commandLine().getOut());
        }
    }

    /** Waits for each box in turn and prints its exit code, as {@code wait} and {@code compose wait} do. */
    static int await(BoxCommands c, List<String> targets, java.io.PrintWriter out) throws InterruptedException {
        for (String t : targets) {
            out.println(c.boxes.await(c.boxes.get(t)));
            out.flush();
        }
        return 0;
    }
}
