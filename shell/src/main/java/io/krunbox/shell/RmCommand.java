package io.krunbox.shell;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox rm}: remove boxes (running ones with -f). */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Remove boxes.", "Exit status 1 when a box could not be removed."})
public final class RmCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Kill and remove running boxes.")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Also remove the box's anonymous volumes.")
    boolean volumes;

    @Parameters(arity = "1..*", paramLabel = "BOX")
    List<String> targets;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return BoxCommands.each(targets, spec, (c, b) -> c.boxes.remove(b, force, volumes));
    }
}
