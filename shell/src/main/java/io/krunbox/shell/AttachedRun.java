package io.krunbox.shell;

import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.oci.ImageJson;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code run -i} / {@code run -it}: the box starts under its supervisor waiting, and its
 * command runs as the box's first exec with this terminal (or these pipes) as its stdio;
 * the box ends with it and its code is ours.
 */
final class AttachedRun {
    private AttachedRun() {}

    static int run(BoxRunner runner, Boxes boxes, BoxSpec spec, boolean interactive, boolean tty) throws Exception {
        String id = runner.runDetached(spec, true);
        BoxRecord b = boxes.get(id);
        JsonNode config = ImageJson.parse(Files.readAllBytes(boxes.config(b)), "config of box " + b.name());
        List<String> argv = new ArrayList<>();
        config.path("argv").forEach(a -> argv.add(a.asText()));
        List<String> env = new ArrayList<>();
        config.path("env").forEach(e -> env.add(e.asText()));
        boolean terminal = tty && System.console() != null;
        ExecRequest request = new ExecRequest(argv, env, config.path("workdir").asText("/"), config.path("user").asText(""),
                terminal, 24, 80);
        int code;
        if (terminal) {
            code = TerminalExec.run(boxes, b, request);
        } else {
            try (ExecSession s = boxes.exec(b, request)) {
                if (interactive) {
                    s.pumpStdin(new FileInputStream(FileDescriptor.in));
                } else {
                    s.closeStdin();
                }
                code = s.relay(new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
            }
        }
        // the box ends with its attached command; wait until its supervisor has recorded that
        try {
            boxes.await(boxes.get(id));
        } catch (io.krunbox.runtime.BoxException removed) {
            // run --rm: its supervisor removed it as it ended
        }
        return code;
    }
}
