package io.krunbox.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code krunbox ps}: running boxes, or all with -a. */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "List boxes.")
public final class PsCommand implements Callable<Integer> {
    @Option(names = {"-a", "--all"}, description = "Show all boxes (default: running ones).")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Print only box ids.")
    boolean quiet;

    @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE", description = "name=, id=, status=, image=, isolation=, label=KEY[=VALUE]")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-n", "--last"}, paramLabel = "N", description = "Show the N boxes created last (all states).")
    int last = -1;

    @Option(names = {"-l", "--latest"}, description = "Show the box created last (all states).")
    boolean latest;

    @Option(names = "--no-trunc", description = "Do not shorten ids and commands.")
    boolean noTrunc;

    @Option(names = "--format", paramLabel = "table|json|TEMPLATE",
            description = "table (default), json, or a Go template such as '{{.Names}}\\t{{.Status}}' (after 'table ': with a header).")
    String format = "table";

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (BoxCommands c = new BoxCommands()) {
            int limit = latest ? 1 : last;
            List<BoxRecord> boxes = new ArrayList<>(c.boxes.list(all || limit >= 0
                    || filters.stream().anyMatch(f -> f.startsWith("status="))));
            java.util.Collections.reverse(boxes); // newest first, as Docker lists them
            for (String f : filters) {
                int eq = f.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("filter \"" + f + "\" is not KEY=VALUE");
                }
                String key = f.substring(0, eq), value = f.substring(eq + 1);
                boxes = boxes.stream().filter(b -> switch (key) {
                    case "name" -> b.name().contains(value);
                    case "id" -> b.id().startsWith(value);
                    case "status" -> b.status().word().equals(value);
                    case "image" -> b.image().equals(value);
                    case "isolation" -> b.isolation().equals(value);
                    case "label" -> hasLabel(b, value);
                    default -> throw new IllegalArgumentException("unknown filter \"" + key
                            + "\": use name, id, status, image, isolation or label");
                }).toList();
            }
            if (limit >= 0 && boxes.size() > limit) {
                boxes = boxes.subList(0, limit);
            }
            if (quiet) {
                boxes.forEach(b -> out.println(noTrunc ? b.id() : b.shortId()));
            } else if (format.equals("json") || GoTemplate.isTemplate(format)) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (BoxRecord b : boxes) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("Id", b.id());
                    m.put("Names", List.of(b.name()));
                    m.put("Image", b.image());
                    m.put("Command", BoxCommands.command(b));
                    m.put("Created", b.createdAt());
                    m.put("State", b.status().word());
                    m.put("Status", BoxCommands.status(b));
                    m.put("ExitCode", b.exitCode());
                    m.put("Isolation", b.isolation());
                    rows.add(m);
                }
                ObjectMapper json = new ObjectMapper();
                if (format.equals("json")) {
                    out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
                } else {
                    boolean table = format.startsWith("table ");
                    GoTemplate template = new GoTemplate(table ? format.substring(6) : format);
                    if (table) {
                        out.println(template.header());
                    }
                    rows.forEach(r -> out.println(template.render(json.valueToTree(r))));
                }
            } else if (format.equals("table")) {
                Table t = new Table("BOX ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "ISOLATION", "NAMES");
                for (BoxRecord b : boxes) {
                    t.row(noTrunc ? b.id() : b.shortId(), b.image(), BoxCommands.command(b, !noTrunc), Ages.ago(b.createdAt()),
                            BoxCommands.status(b), b.isolation(), b.name());
                }
                t.print(out);
            } else {
                throw new IllegalArgumentException("--format " + format + " is not table, json or a template such as '{{.Names}}'");
            }
        }
        out.flush();
        return 0;
    }

    /** {@code label=KEY} (any value) or {@code label=KEY=VALUE}. */
    static boolean hasLabel(BoxRecord b, String want) {
        if (b.spec() == null) {
            return false;
        }
        java.util.Map<String, String> labels = b.spec().labels();
        int eq = want.indexOf('=');
        return eq < 0 ? labels.containsKey(want) : want.substring(eq + 1).equals(labels.get(want.substring(0, eq)));
    }
}
