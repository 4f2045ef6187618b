package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.TopologyPlanner;
import io.krunbox.runtime.TopologyRunner;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.Topology;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code compose up}: networks, volumes, then boxes in dependency order; attached it follows their logs. */
@Command(name = "up", mixinStandardHelpOptions = true, description = {"Create and start the project's boxes.",
        "Exit status: 0, the --exit-code-from service's code, or 125 when krunbox fails."})
public final class ComposeUpCommand implements Callable<Integer> {
    @ParentCommand ComposeCommand compose;

    @Option(names = {"-d", "--detach"}, description = "Start and return.")
    boolean detach;

    @Option(names = "--wait", description = "Wait until the boxes run (and are healthy, when they have a check); implies -d.")
    boolean waitHealthy;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", description = "Give up --wait after this long (default: 300).")
    int waitTimeout = 300;

    @Option(names = "--force-recreate", description = "Recreate boxes even when their config is unchanged.")
    boolean forceRecreate;

    @Option(names = "--no-recreate", description = "Never recreate an existing box.")
    boolean noRecreate;

    @Option(names = "--remove-orphans", description = "Remove boxes of services the files no longer define.")
    boolean removeOrphans;

    @Option(names = "--scale", paramLabel = "SERVICE=N", description = "Run N boxes of a service (repeatable).")
    List<String> scale = new ArrayList<>();

    @Option(names = "--abort-on-container-exit", description = "Attached: stop everything when a box exits.")
    boolean abortOnExit;

    @Option(names = "--exit-code-from", paramLabel = "SERVICE", description = "Attached: exit with this service's code.")
    String exitCodeFrom;

    @Option(names = "--dry-run", description = {"Print the plan, every step up will take (networks, volumes, secrets,",
            "each replica's box plan, the waits for depends_on), and do nothing."})
    boolean dryRun;

    @Option(names = "--build", description = "Build the images of services with build: before starting.")
    boolean build;

    @Option(names = "--no-build", description = "Build nothing, even an image that is missing.")
    boolean noBuild;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Topology t = compose.topology();
        Map<String, Integer> scales = new HashMap<>();
        for (String s : scale) {
            String[] kv = s.split("=", 2);
            if (kv.length != 2 || !kv[1].matches("\\d+")) {
                throw new IllegalArgumentException("--scale " + s + " is not SERVICE=N");
            }
            scales.put(kv[0], Integer.parseInt(kv[1]));
        }
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        if (build && noBuild) {
            throw new IllegalArgumentException("--build and --no-build contradict each other: give one");
        }
        try (Krunbox krunbox = Krunbox.open()) {
            KrunboxHome home = krunbox.home();
            List<Topology.Service> toBuild = ComposeBuilds.due(t, services, build ? ComposeBuilds.When.ALWAYS
                    : noBuild ? ComposeBuilds.When.NEVER : ComposeBuilds.When.MISSING, krunbox.images());
            if (dryRun) {
                toBuild.forEach(s -> Invocation.current().out().println("build " + s.template().image() + " (service " + s.name() + ") from "
                        + s.build().context()));
            } else {
                int built = ComposeBuilds.build(t, toBuild, false, false, compose.progress.quiet(), krunbox, err);
                if (built != 0) {
                    return built;
                }
            }
            BoxRunner runner = krunbox.runner(err);
            TopologyRunner up = krunbox.topologies(runner, compose.progress.quiet() ? Progress.NOWHERE : err);
            TopologyPlanner.UpOptions options = new TopologyPlanner.UpOptions(services, forceRecreate, noRecreate,
                    removeOrphans, waitHealthy, Duration.ofSeconds(waitTimeout), scales);
            if (dryRun) {
                for (String image : up.planner().missingImages(t, options)) {
                    err.println("krunbox: " + image + " is not held here: up pulls it first and plans its boxes then");
                }
                runner.printPlan(up.planner().up(t, options).plan(), Invocation.current().out());
                return 0;
            }
            up.up(t, options, compose.progress.reporter(home, err));
            if (detach || waitHealthy) {
                return 0;
            }
            return ComposeLogsCommand.follow(krunbox.boxes(), t.project(), services, true, abortOnExit || exitCodeFrom != null,
                    exitCodeFrom);
        }
    }
}
