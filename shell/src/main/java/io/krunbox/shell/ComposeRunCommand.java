package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Topology;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code compose run [--rm] SERVICE [CMD...]}: a one-off box from a service, on its networks, in the foreground. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {"Run a one-off command from a service's box.",
        "Exit status: the command's own, or 125 when krunbox fails."})
public final class ComposeRunCommand implements Callable<Integer>, TakesCommandLine {
    @ParentCommand ComposeCommand compose;

    @Option(names = "--rm", description = "Remove the box when it exits.")
    boolean remove;

    @Option(names = "--name", paramLabel = "NAME")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE")
    List<String> env = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Topology t = compose.topology();
        BoxSpec tpl = t.service(service).template();
        List<String> envs = new ArrayList<>(tpl.env());
        envs.addAll(env);
        String boxName = name != null ? name : t.project() + "-" + service + "-run-"
                + Long.toHexString(System.nanoTime() & 0xffffff);
        BoxSpec spec = tpl.toBuilder().name(boxName).command(command.isEmpty() ? tpl.command() : command).envList(envs)
                .remove(remove).health(null).restart(null).portList(List.of()).publishAll(false).build();
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        try (Krunbox krunbox = Krunbox.open()) {
            return krunbox.runner(err).run(spec, new BoxOutput(Invocation.current().stdout(),
                    Invocation.current().stderr()));
        }
    }
}
