package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.kube.play.PlayOptions;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.TopologyPlanner;
import io.krunbox.runtime.TopologyRunner;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.Topology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kube play}: Kubernetes YAML run as boxes, on one bridge, as one project. */
@Command(name = "play", mixinStandardHelpOptions = true, description = {
        "Run Kubernetes YAML (Pod, Deployment, StatefulSet, DaemonSet, Job, Service, PersistentVolumeClaim,",
        "ConfigMap, Secret) as boxes: replicas as boxes, init containers first, Service names as aliases,",
        "claims as named volumes, ConfigMap and Secret keys as files and environment."})
public final class KubePlayCommand implements Callable<Integer> {
    @Option(names = "--down", description = "Stop and remove what the YAML made (volumes stay; with --force they go).")
    boolean down;

    @Option(names = "--force", description = "With --down: remove the volumes too.")
    boolean force;

    @Option(names = "--replace", description = "Remove what an earlier play of the YAML made, then run it again.")
    boolean replace;

    @Option(names = "--network", paramLabel = "NET", description = "Put every box on this existing network.")
    String network;

    @Option(names = "--publish", description = "Publish the ports of NodePort and LoadBalancer Services on the host.")
    boolean publish;

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "The project (default: the file's name).")
    String project;

    @Option(names = "--allow-privileged", description = {"Run what the YAML asks for that opens a box to the host:",
            "privileged, capabilities.add, seccompProfile Unconfined, hostPath (refused without this)."})
    boolean allowPrivileged;

    @Option(names = "--wait", description = "Return once every box runs (and is healthy, when it has a probe).")
    boolean waitHealthy;

    @Option(names = "--dry-run", description = "Print the plan and do nothing.")
    boolean dryRun;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Kubernetes YAML (- for stdin).")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        Topology t = KubeFiles.topology(files, new PlayOptions(project, network, publish, allowPrivileged), err);
        try (Krunbox krunbox = Krunbox.open()) {
            KrunboxHome home = krunbox.home();
            BoxRunner runner = krunbox.runner(err);
            TopologyRunner r = krunbox.topologies(runner, err);
            if (down) {
                if (dryRun) {
                    Invocation.current().out().print(r.planner().down(t.project(), t, force, null).plan().render(home.root()));
                    return 0;
                }
                r.down(t.project(), t, force, null);
                return 0;
            }
            TopologyPlanner.UpOptions options = new TopologyPlanner.UpOptions(List.of(), false, false, false, waitHealthy,
                    Duration.ofMinutes(5), Map.of());
            if (dryRun) {
                runner.printPlan(r.planner().up(t, options).plan(), Invocation.current().out());
                return 0;
            }
            if (replace) {
                r.down(t.project(), t, false, null);
            }
            r.up(t, options);
        }
        return 0;
    }
}
