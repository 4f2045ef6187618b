package io.krunbox.shell;

import io.krunbox.compose.convert.ConfigWriter;
import io.krunbox.compose.convert.Normalizer;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code compose config}: the normalized, interpolated, merged model; keys not honoured are listed with the reason. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Print the normalized project (canonical compose YAML).")
public final class ComposeConfigCommand implements Callable<Integer> {
    @ParentCommand ComposeCommand compose;

    @Option(names = "--format", paramLabel = "yaml|json", description = "Output format (default: yaml).")
    String format = "yaml";

    @Option(names = "--services", description = "Only the service names.")
    boolean services;

    @Option(names = "--volumes", description = "Only the volume names.")
    boolean volumes;

    @Option(names = "--profiles", description = "Only the profile names the services use.")
    boolean profiles;

    @Option(names = {"-q", "--quiet"}, description = "Only check the files.")
    boolean quiet;

    @Spec CommandSpec spec;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        Normalizer.Normalized n = compose.normalized();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        n.warnings().forEach(w -> err.println("WARN " + w));
        n.unhonoured().forEach(u -> err.println("WARN not honoured: " + u));
        err.flush();
        if (quiet) {
            return 0;
        }
        Map<String, Object> svc = (Map<String, Object>) n.model().get("services");
        if (services) {
            svc.keySet().forEach(out::println);
        } else if (volumes) {
            ((Map<String, Object>) n.model().get("volumes")).keySet().forEach(out::println);
        } else if (profiles) {
            java.util.TreeSet<String> all = new java.util.TreeSet<>();
            svc.values().forEach(s -> all.addAll((java.util.List<String>) ((Map<String, Object>) s)
                    .getOrDefault("profiles", java.util.List.of())));
            all.forEach(out::println);
        } else if (format.equals("json")) {
            out.println(ConfigWriter.json(n.model()));
        } else if (format.equals("yaml")) {
            out.print(ConfigWriter.yaml(n.model()));
        } else {
            throw new IllegalArgumentException("--format " + format + " is not yaml or json");
        }
        out.flush();
        return 0;
    }
}
