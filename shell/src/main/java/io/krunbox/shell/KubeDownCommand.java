package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.kube.play.PlayOptions;
import io.krunbox.runtime.model.Topology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kube down}: what {@code kube play} of the same YAML made, stopped and removed. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop and remove what kube play of the YAML made (its volumes too with --force).")
public final class KubeDownCommand implements Callable<Integer> {
    @Option(names = "--force", description = "Remove the volumes too.")
    boolean force;

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "The project, as kube play was given it.")
    String project;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Kubernetes YAML (- for stdin).")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        Topology t = KubeFiles.topology(files, new PlayOptions(project, null, false, true), err);
        try (BoxCommands c = new BoxCommands()) {
            c.krunbox.topologies(err).down(t.project(), t, force, null);
        }
        return 0;
    }
}
