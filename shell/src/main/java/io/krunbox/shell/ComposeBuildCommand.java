package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.model.Topology;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code compose build [SERVICE...]}: the images of the services with {@code build:}. */
@Command(name = "build", mixinStandardHelpOptions = true, description = "Build the images of the services that have build:.")
public final class ComposeBuildCommand implements Callable<Integer> {
    @ParentCommand ComposeCommand compose;

    @Option(names = "--no-cache", description = "Run every step; use no cached layer.")
    boolean noCache;

    @Option(names = "--pull", description = "Pull the base images even when they are held.")
    boolean pull;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Topology t = compose.topology();
        for (String s : services) {
            if (t.services().stream().noneMatch(x -> x.name().equals(s))) {
                throw new IllegalArgumentException("no service \"" + s + "\" in project " + t.project());
            }
        }
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        try (Krunbox krunbox = Krunbox.open()) {
            return ComposeBuilds.build(t, ComposeBuilds.due(t, services, ComposeBuilds.When.ALWAYS, krunbox.images()),
                    noCache, pull, quiet, krunbox, err);
        }
    }
}
