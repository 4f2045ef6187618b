package io.krunbox.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.network.NetworkStore.Lease;
import io.krunbox.runtime.network.NetworkStore.NetworkRecord;
import io.krunbox.runtime.network.Networks;
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

/** {@code krunbox network ...}: bridge networks, as {@code docker network} manages them. */
@Command(name = "network", mixinStandardHelpOptions = true, description = "Manage networks.",
        subcommands = {NetworkCommand.Create.class, NetworkCommand.Ls.class, NetworkCommand.Inspect.class,
                NetworkCommand.Rm.class, NetworkCommand.Prune.class, NetworkConnectCommand.Connect.class,
                NetworkConnectCommand.Disconnect.class})
public final class NetworkCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Networks networks(BoxCommands c) {
        return c.boxes.wiring().networks();
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {"Create a bridge network.",
            "Without --subnet, a free /24 of KRUNBOX_SUBNET_POOL (default 10.88.0.0/16) is taken."})
    static final class Create implements Callable<Integer> {
        @Option(names = "--subnet", paramLabel = "CIDR", description = "The network's subnet, e.g. 10.89.0.0/24.")
        String subnet;

        @Option(names = "--gateway", paramLabel = "IP", description = "The bridge's address (default: the subnet's first).")
        String gateway;

        @Option(names = "--internal", description = "No route out of the network.")
        boolean internal;

        @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "A label (repeatable).")
        List<String> labels = new ArrayList<>();

        @Option(names = {"-d", "--driver"}, paramLabel = "bridge", description = "Only bridge is offered.")
        String driver = "bridge";

        @Parameters(paramLabel = "NAME")
        String name;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            if (!driver.equals("bridge")) {
                throw new IllegalArgumentException("--driver " + driver + " is not offered: krunbox networks are bridges");
            }
            try (BoxCommands c = new BoxCommands()) {
                spec.commandLine().getOut().println(networks(c).create(name, subnet, gateway, internal, labels).id());
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List networks.")
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
                List<NetworkRecord> all = networks(c).store().all();
                if (format.equals("json")) {
                    List<Object> rows = new ArrayList<>();
                    for (NetworkRecord n : all) {
                        rows.add(json(c, n));
                    }
                    out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
                } else if (quiet) {
                    all.forEach(n -> out.println(n.name()));
                } else {
                    Table t = new Table("NETWORK ID", "NAME", "DRIVER", "SUBNET", "GATEWAY", "BRIDGE", "INTERNAL");
                    all.forEach(n -> t.row(n.id().substring(0, 12), n.name(), "bridge", n.subnet().toString(), n.gateway(),
                            n.bridge(), Boolean.toString(n.internal())));
                    t.print(out);
                }
                out.flush();
            }
            return 0;
        }
    }

    /** A network as {@code inspect} and {@code ls --format json} show it. */
    static Map<String, Object> json(BoxCommands c, NetworkRecord n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.createdAt());
        m.put("Driver", "bridge");
        m.put("Bridge", n.bridge());
        m.put("Internal", n.internal());
        m.put("IPAM", Map.of("Config", List.of(Map.of("Subnet", n.subnet().toString(), "Gateway", n.gateway()))));
        Map<String, Object> boxes = new LinkedHashMap<>();
        for (Lease l : networks(c).store().leasesOn(n.name())) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("Name", l.hostname());
            e.put("IPv4Address", l.ip() + "/" + n.subnet().prefix());
            e.put("MacAddress", l.mac());
            e.put("Aliases", l.aliases());
            boxes.put(l.boxId(), e);
        }
        m.put("Boxes", boxes);
        m.put("Labels", BoxCommands.labelMap(n.labels()));
        return m;
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show networks as JSON.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                List<Object> rows = new ArrayList<>();
                for (String n : names) {
                    rows.add(json(c, networks(c).get(n)));
                }
                BoxCommands.printJson(spec, rows);
            }
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = {"Remove networks.", "A network boxes are on is refused unless -f."})
    static final class Rm implements Callable<Integer> {
        @Option(names = {"-f", "--force"}, description = "Remove it even while boxes are on it (they lose it).")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return BoxCommands.eachName(names, spec, (c, n) -> {
                if (force) {
                    // the boxes on it leave it first, so their specs no longer name it
                    String name = networks(c).get(n).name();
                    for (Lease l : networks(c).store().leasesOn(name)) {
                        new io.krunbox.runtime.BoxConnections(c.boxes).disconnect(c.boxes.get(l.boxId()), name, true);
                    }
                }
                networks(c).remove(n, force);
            });
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove every network no box is on.")
    static final class Prune implements Callable<Integer> {
        @Option(names = {"-f", "--force"}, description = "Do not ask (krunbox never asks).")
        boolean force;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (BoxCommands c = new BoxCommands()) {
                List<String> removed = networks(c).prune();
                PrintWriter out = spec.commandLine().getOut();
                if (!removed.isEmpty()) {
                    out.println("Deleted Networks:");
                    removed.forEach(out::println);
                }
                out.flush();
            }
            return 0;
        }
    }
}
