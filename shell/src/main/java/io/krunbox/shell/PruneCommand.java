package io.krunbox.shell;

import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code krunbox prune}: remove every box that is not running. */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove all boxes that are not running.")
public final class PruneCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Do not ask (krunbox never asks; accepted for Docker's scripts).")
    boolean force;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (BoxCommands c = new BoxCommands()) {
            List<BoxRecord> removed = c.boxes.prune();
            if (!removed.isEmpty()) {
                out.println("Deleted Boxes:");
                removed.forEach(b -> out.println(b.id()));
                out.println();
            }
            out.println("Total deleted: " + removed.size());
        }
        out.flush();
        return 0;
    }
}
