package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.limits.BoxCgroup;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
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

/** {@code krunbox stats}: cpu, memory and pids of running boxes, from their cgroups. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Show the resource use of running boxes.")
public final class StatsCommand implements Callable<Integer> {
    @Option(names = "--no-stream", description = "Print once and exit (the default when not on a terminal).")
    boolean noStream;

    @Option(names = "--format", paramLabel = "table|json", description = "Output format (default: table).")
    String format = "table";

    @Parameters(arity = "0..*", paramLabel = "BOX", description = "Boxes (default: all running).")
    List<String> targets = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        boolean stream = !noStream && Invocation.current().terminal() && format.equals("table");
        try (BoxCommands c = new BoxCommands()) {
            do {
                List<BoxRecord> boxes = new ArrayList<>();
                if (targets.isEmpty()) {
                    boxes.addAll(c.boxes.list(false));
                } else {
                    for (String t : targets) {
                        boxes.add(c.boxes.get(t));
                    }
                }
                Map<String, BoxCgroup.Usage> before = new LinkedHashMap<>();
                boxes.forEach(b -> before.put(b.id(), new BoxCgroup(b.id()).usage()));
                long t0 = System.nanoTime();
                Thread.sleep(500);
                double secs = (System.nanoTime() - t0) / 1e9;
                List<Map<String, Object>> rows = new ArrayList<>();
                for (BoxRecord b : boxes) {
                    BoxCgroup.Usage now = new BoxCgroup(b.id()).usage();
                    BoxCgroup.Usage was = before.get(b.id());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ID", b.shortId());
                    m.put("Name", b.name());
                    m.put("CPUPerc", now.cpuNanos() < 0 ? null
                            : String.format("%.2f%%", (now.cpuNanos() - was.cpuNanos()) / (secs * 1e9) * 100));
                    m.put("MemUsage", now.memoryBytes());
                    m.put("MemLimit", now.memoryLimit());
                    m.put("PIDs", now.pids());
                    rows.add(m);
                }
                if (format.equals("json")) {
                    out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
                } else {
                    if (stream) {
                        out.print("\033[H\033[2J");
                    }
                    Table t = new Table("BOX ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS");
                    for (Map<String, Object> m : rows) {
                        long use = (long) m.get("MemUsage"), limit = (long) m.get("MemLimit");
                        t.row((String) m.get("ID"), (String) m.get("Name"), m.get("CPUPerc") == null ? "--" : (String) m.get("CPUPerc"),
                                use < 0 ? "--" : PullProgress.size(use) + " / " + PullProgress.size(limit),
                                use < 0 || limit <= 0 ? "--" : String.format("%.2f%%", 100.0 * use / limit),
                                (long) m.get("PIDs") < 0 ? "--" : m.get("PIDs").toString());
                    }
                    t.print(out);
                }
                out.flush();
            } while (stream);
        }
        return 0;
    }
}
