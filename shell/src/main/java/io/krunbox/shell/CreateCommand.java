package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import picocli.CommandLine.Command;

/** {@code krunbox create}: make a box (as run does) without starting it; prints its id. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create a box without starting it; start it with `krunbox start`.",
                "Takes the options of run."})
public final class CreateCommand extends RunCommand {
    @Override
    public Integer call() throws Exception {
        String id = withRunner(r -> r.create(spec()));
        Invocation.current().out().println(id);
        return 0;
    }
}
