package io.krunbox.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.topology.ProjectBoxes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code compose ps}: the project's boxes, found by their labels. */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "List the project's boxes.")
public final class ComposePsCommand implements Callable<Integer> {
    @ParentCommand ComposeCommand compose;

    @Option(names = {"-a", "--all"}, description = "Also stopped boxes.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only ids.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "table|json", description = "Output format (default: table).")
    String format = "table";

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String project = compose.projectName();
        PrintWriter out = spec.commandLine().getOut();
        try (BoxCommands c = new BoxCommands()) {
            List<ProjectBoxes.ProjectBox> boxes = new ArrayList<>(c.krunbox.project(project));
            boxes.removeIf(b -> !all && !b.record().status().active());
            boxes.sort(java.util.Comparator.comparing(b -> b.record().name()));
            if (quiet) {
                boxes.forEach(b -> out.println(b.record().shortId()));
            } else if (format.equals("json")) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ProjectBoxes.ProjectBox b : boxes) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ID", b.record().shortId());
                    m.put("Name", b.record().name());
                    m.put("Service", b.service());
                    m.put("Project", project);
                    m.put("State", b.record().status().word());
                    m.put("Health", b.record().health() == null ? "" : b.record().health());
                    m.put("ExitCode", b.record().exitCode());
                    m.put("Publishers", b.spec().ports().stream().map(PortMapping::toString).toList());
                    rows.add(m);
                }
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
            } else {
                Table t = new Table("NAME", "IMAGE", "SERVICE", "STATUS", "PORTS");
                for (ProjectBoxes.ProjectBox b : boxes) {
                    String status = b.record().status() + (b.record().health() == null ? "" : " (" + b.record().health() + ")")
                            + (b.record().exitCode() == null || b.record().status().active() ? ""
                            : " (" + b.record().exitCode() + ")");
                    t.row(b.record().name(), b.record().image(), b.service(), status,
                            String.join(", ", b.spec().ports().stream().map(p -> p.hostIp() + ":" + p.hostPort() + "->"
                                    + p.boxPort() + "/" + p.protocol()).toList()));
                }
                t.print(out);
            }
            out.flush();
        }
        return 0;
    }
}
