package io.krunbox.junit;

import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.logs.LogReader;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A box of the session that runs, found by its id: what a started BoxContainer and a ComposeStack's service are. */
final class RunningBox implements StartedBox {
    private final Session session;
    private final String id;
    private final String name;

    RunningBox(Session session, String id, String name) {
        this.session = session;
        this.id = id;
        this.name = name;
    }

    BoxRecord record() {
        return session.boxes.get(id);
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int mappedPort(int boxPort) {
        for (PortMapping p : record().spec().ports()) {
            if (p.boxPort() == boxPort) {
                return p.hostPort();
            }
        }
        throw new IllegalArgumentException("box " + name + " does not publish port " + boxPort
                + ": add it with withExposedPorts(" + boxPort + ") (or ports: in the compose file)");
    }

    @Override
    public ExecResult exec(String... command) {
        BoxRecord b = record();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // as the box's own processes run: the environment (the image's PATH included), user and workdir of its config
        try (ExecSession s = session.boxes.exec(b, ExecRequest.asBox(session.boxes.config(b), List.of(command), List.of(),
                null, null, false))) {
            s.closeStdin();
            int code = s.relay(out, err);
            return new ExecResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + " in box " + name + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String logs() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(all, true, StandardCharsets.UTF_8);
        try {
            LogReader.print(session.boxes.log(record()), new LogReader.Options(false, null, null, -1, false), both, both,
                    () -> false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the log of box " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** The last {@code n} lines of the log, for a failure's message. */
    String lastLines(int n) {
        List<String> lines = logs().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }
}
