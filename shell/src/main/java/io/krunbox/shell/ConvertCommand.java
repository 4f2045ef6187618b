package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.compose.Compose;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.dsl.DslRunner;
import io.krunbox.dsl.DslWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox convert compose.yaml --to dsl} and {@code convert shop.groovy --to compose}. */
@Command(name = "convert", mixinStandardHelpOptions = true, description = {"Convert between compose files and DSL scripts.",
        "Both compile to the same topology."})
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--to", paramLabel = "dsl|compose", required = true, description = "What to write.")
    String to;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        switch (to) {
            case "dsl" -> Invocation.current().out().print(DslWriter.write(Compose.normalize(new LoadOptions(List.of(file), null, null,
                    List.of(), List.of(), false, null, null)).model()));
            case "compose" -> DslRunner.run(io.krunbox.runtime.base.Invocation.current().resolve(file), List.of()).forEach(t -> Invocation.current().out().print(t.toCompose()));
            default -> throw new IllegalArgumentException("--to " + to + " is not dsl or compose");
        }
        return 0;
    }
}
