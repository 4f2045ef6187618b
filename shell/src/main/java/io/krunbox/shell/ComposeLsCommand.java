package io.krunbox.shell;

import io.krunbox.runtime.state.BoxStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code compose ls}: the projects that have boxes here, with how many run. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List projects.")
public final class ComposeLsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (BoxCommands c = new BoxCommands()) {
            Table t = new Table("NAME", "STATUS");
            for (String p : c.krunbox.projects()) {
                var boxes = c.krunbox.project(p);
                long running = boxes.stream().filter(b -> (b.record().status() == BoxStatus.RUNNING)).count();
                t.row(p, "running(" + running + "), boxes(" + boxes.size() + ")");
            }
            t.print(out);
        }
        return 0;
    }
}
