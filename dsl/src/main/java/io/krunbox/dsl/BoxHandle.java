package io.krunbox.dsl;

import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.logs.LogReader;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** One box in scripts and the shell: exec, logs, stop, remove, port. */
public final class BoxHandle {
    private final BoxesApi api;
    private final String id;

    BoxHandle(BoxesApi api, String id) {
        this.api = api;
        this.id = id;
    }

    /** What an exec gave back. */
    public record ExecResult(int exitCode, String stdout, String stderr) {}

    public String getId() {
        return id;
    }

    public String getName() {
        return record().name();
    }

    public String getStatus() {
        return record().status().word();
    }

    private BoxRecord record() {
        return api.boxes().get(id);
    }

    public ExecResult exec(String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BoxRecord b = record();
        ExecRequest request = ExecRequest.asBox(api.boxes().config(b), List.of(argv), List.of(), null, null, false);
        try (ExecSession s = api.boxes().exec(b, request)) {
            s.closeStdin();
            int code = s.relay(out, err);
            return new ExecResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** The box's output so far, a line each. */
    public List<String> logs() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
        LogReader.print(api.boxes().log(record()), new LogReader.Options(false, null, null, -1, false), p, p, () -> false);
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    public void stop() throws InterruptedException {
        api.boxes().stop(record(), Duration.ofSeconds(10));
    }

    public void remove() throws Exception {
        api.boxes().remove(record(), true, true);
    }

    /** The host port a box port is published on, or -1. */
    public int port(int boxPort) {
        return record().spec().ports().stream()
                .filter(p -> p.boxPort() == boxPort).mapToInt(io.krunbox.runtime.model.PortMapping::hostPort)
                .findFirst().orElse(-1);
    }

    @Override
    public String toString() {
        return "box " + getName() + " (" + id.substring(0, 12) + ")";
    }
}
