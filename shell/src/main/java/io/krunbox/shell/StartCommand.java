package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox start}: start created or exited boxes in the background; -a waits and returns the exit code. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start boxes.", "With -a: follow the box's output and exit with its code."})
public final class StartCommand implements Callable<Integer> {
    @Option(names = {"-a", "--attach"}, description = "Follow the output and return the box's exit code.")
    boolean attach;

    @Parameters(arity = "1..*", paramLabel = "BOX")
    List<String> targets;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!attach) {
            return BoxCommands.each(targets, spec, (c, b) -> c.krunbox.start(b));
        }
        if (targets.size() > 1) {
            throw new IllegalArgumentException("start -a takes one box (given " + targets.size()
                    + "): start the others without -a");
        }
        try (BoxCommands c = new BoxCommands()) {
            BoxRecord b;
            try {
                b = c.krunbox.start(c.boxes.get(targets.get(0)));
            } catch (io.krunbox.runtime.base.BoxException e) {
                spec.commandLine().getErr().println("Error: " + e.getMessage()); // as start without -a says it
                spec.commandLine().getErr().flush();
                return 1;
            }
            return c.boxes.attach(b, Invocation.current().out(), Invocation.current().err());
        }
    }
}
