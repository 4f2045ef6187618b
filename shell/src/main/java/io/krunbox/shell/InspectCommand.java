package io.krunbox.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox inspect}: boxes as JSON, in the shape of Docker's container inspect. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show details of boxes as JSON.", "Exit status 1 when a box is not found."})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "BOX")
    List<String> targets;

    @picocli.CommandLine.Option(names = {"-f", "--format"}, paramLabel = "json|TEMPLATE",
            description = "json (default), or a Go template such as '{{.State.Status}}' printed once per box.")
    String format = "json";

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ArrayNode result = json.createArrayNode();
        int status = 0;
        try (BoxCommands c = new BoxCommands()) {
            for (String t : targets) {
                BoxRecord b;
                try {
                    b = c.boxes.get(t);
                } catch (io.krunbox.runtime.base.BoxException e) {
                    spec.commandLine().getErr().println("Error: " + e.getMessage());
                    status = 1;
                    continue;
                }
                ObjectNode o = result.addObject();
                o.put("Id", b.id());
                o.put("Name", b.name());
                o.put("Created", b.createdAt());
                o.put("Image", b.image());
                o.put("ImageId", b.imageId());
                o.put("Isolation", b.isolation());
                ObjectNode state = o.putObject("State");
                state.put("Status", b.status().word());
                state.put("Running", (b.status() == BoxStatus.RUNNING));
                if (b.exitCode() != null) {
                    state.put("ExitCode", b.exitCode());
                } else {
                    state.putNull("ExitCode");
                }
                state.put("Error", (b.status() == BoxStatus.FAILED) ? b.reason() : "");
                state.put("Reason", b.reason());
                state.put("Pid", b.initPid() == null ? 0 : b.initPid());
                state.put("SupervisorPid", b.supervisorPid() == null ? 0 : b.supervisorPid());
                state.put("StartedAt", b.startedAt());
                state.put("FinishedAt", b.finishedAt());
                if (b.health() != null) {
                    ObjectNode health = state.putObject("Health").put("Status", b.health())
                            .put("FailingStreak", b.failingStreak());
                    com.fasterxml.jackson.databind.node.ArrayNode log = health.putArray("Log");
                    if (b.status().active()) {
                        // the last five results, as the box's monitor recorded them
                        io.krunbox.runtime.launch.BoxHealth.read(c.boxes.dir(b)).ifPresent(h -> h.log().forEach(r ->
                                log.addObject().put("Start", r.start().toString()).put("End", r.end().toString())
                                        .put("ExitCode", r.exitCode()).put("Output", r.output())));
                    }
                }
                o.put("RestartCount", b.restartCount());
                o.put("LogPath", c.boxes.log(b).toString());
                o.set("Config", b.spec() == null ? json.nullNode() : io.krunbox.runtime.state.BoxSpecJson.tree(b.spec()));
                if (b.spec() != null) {
                    // what the box's processes may do, as worked out from its spec (Docker's names)
                    o.set("HostConfig", json.valueToTree(c.boxes.privileges(b).inspect()));
                }
            }
        }
        if (GoTemplate.isTemplate(format)) {
            GoTemplate template = new GoTemplate(format);
            result.forEach(box -> spec.commandLine().getOut().println(template.render(box)));
        } else if (format.equals("json")) {
            spec.commandLine().getOut().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            throw new IllegalArgumentException("--format " + format + " is not json or a template such as '{{.State.Status}}'");
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return status;
    }
}
