package io.krunbox.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.volume.VolumeStore.VolumeRecord;
import io.krunbox.runtime.volume.Volumes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox volume ...}: named volumes, as {@code docker volume} manages them. */
@Command(name = "volume", mixinStandardHelpOptions = true, description = "Manage volumes.",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.Ls.class, VolumeCommand.Inspect.class,
                VolumeCommand.Rm.class, VolumeCommand.Prune.class})
public final class VolumeCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Volumes volumes(BoxCommands c) {
        return c.boxes.wiring().volumes();
    }

    static Map<String, Object> json(BoxCommands c, VolumeRecord v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", v.name());
        m.put("Driver", "local");
        m.put("Mountpoint", volumes(c).path(v.name()).toString());
        m.put("CreatedAt", v.createdAt());
        m.put("Anonymous", v.anonymous());
        m.put("Labels", BoxCommands.labelMap(v.labels()));
        m.put("UsedBy", volumes(c).users(v.name()));
        return m;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a named volume.")
    static final class Create implements Callable<Integer> {
        @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "A label (repeatable).")
        List<String> labels = new ArrayList<>();

        @Parameters(paramLabel = "NAME")
        String name;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                spec.commandLine().getOut().println(volumes(c).create(name, labels).name());
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List volumes.")
    static final class Ls implements Callable<Integer> {
        @Option(names = {"-q", "--quiet"}, description = "Only names.")
        boolean quiet;

        @Option(names = "--format", paramLabel = "table|json", description = "Output format (default: table).")
        String format = "table";

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (BoxCommands c = new BoxCommands()) {
                List<VolumeRecord> all = volumes(c).store().all();
                if (format.equals("json")) {
                    List<Object> rows = new ArrayList<>();
                    all.forEach(v -> rows.add(json(c, v)));
                    out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
                } else if (quiet) {
                    all.forEach(v -> out.println(v.name()));
                } else {
                    Table t = new Table("DRIVER", "VOLUME NAME");
                    all.forEach(v -> t.row("local", v.name()));
                    t.print(out);
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show volumes as JSON.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                List<Object> rows = new ArrayList<>();
                for (String n : names) {
                    rows.add(json(c, volumes(c).get(n)));
                }
                BoxCommands.printJson(spec, rows);
            }
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = {"Remove volumes.", "A volume a box uses is refused unless -f."})
    static final class Rm implements Callable<Integer> {
        @Option(names = {"-f", "--force"}, description = "Remove it even while a box uses it.")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return BoxCommands.eachName(names, spec, (c, n) -> volumes(c).remove(n, force));
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove every volume no box uses.")
    static final class Prune implements Callable<Integer> {
        @Option(names = {"-f", "--force"}, description = "Do not ask (krunbox never asks).")
        boolean force;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                List<String> removed = volumes(c).prune();
                PrintWriter out = spec.commandLine().getOut();
                if (!removed.isEmpty()) {
                    out.println("Deleted Volumes:");
                    removed.forEach(out::println);
                }
                out.flush();
            }
            return 0;
        }
    }
}
