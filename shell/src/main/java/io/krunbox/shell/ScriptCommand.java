package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.dsl.DslRunner;
import io.krunbox.dsl.TopologyDsl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox script FILE [ARGS]}: runs a Groovy script with the DSL (also as a {@code #!/usr/bin/env krunbox script} line). */
@Command(name = "script", mixinStandardHelpOptions = true, description = {"Run a krunbox Groovy script.",
        "With --compose, print the compose YAML of the topology it defines."})
public final class ScriptCommand implements Callable<Integer>, TakesCommandLine {
    @Option(names = "--compose", description = "Print the normalized compose YAML of the script's topology.")
    boolean compose;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARG")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        List<TopologyDsl> topologies = DslRunner.run(io.krunbox.runtime.base.Invocation.current().resolve(file), args);
        if (compose) {
            for (TopologyDsl t : topologies) {
                Invocation.current().out().print(t.toCompose());
            }
        }
        return 0;
    }
}
