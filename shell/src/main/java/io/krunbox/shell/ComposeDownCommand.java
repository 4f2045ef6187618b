package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.TopologyRunner;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.Topology;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code compose down}: the project's boxes (dependents first) and networks; volumes with {@code -v}. Found by label. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop and remove the project's boxes and networks.")
public final class ComposeDownCommand implements Callable<Integer> {
    @ParentCommand ComposeCommand compose;

    @Option(names = {"-v", "--volumes"}, description = "Also remove the project's volumes (named and anonymous).")
    boolean volumes;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
            description = "Grace period before SIGKILL (default: each service's stop_grace_period, else 10).")
    Integer timeout;

    @Option(names = "--remove-orphans", description = "Accepted for compatibility: every box of the project is removed.")
    boolean removeOrphans;

    @Option(names = "--dry-run", description = "Print the plan, every step down will take, and do nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Topology t = null;
        String project = compose.project;
        try {
            t = compose.topology();
            project = t.project();
        } catch (RuntimeException e) {
            if (project == null) {
                throw e; // without files and without -p there is no project to take down
            }
        }
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        KrunboxHome home = KrunboxHome.fromEnvironment();
        Duration grace = timeout == null ? null : Duration.ofSeconds(timeout);
        try (BoxCommands c = new BoxCommands()) {
            TopologyRunner down = c.krunbox.topologies(compose.progress.quiet() ? Progress.NOWHERE : err);
            if (dryRun) {
                Invocation.current().out().print(down.planner().down(project, t, volumes, grace).plan().render(home.root()));
                return 0;
            }
            down.down(project, t, volumes, grace, compose.progress.reporter(home, err));
        }
        return 0;
    }
}
