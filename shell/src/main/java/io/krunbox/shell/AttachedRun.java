package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.guest.BoxConfigFile;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
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
        BoxConfigFile config = BoxConfigFile.read(boxes.config(b));
        boolean terminal = tty && Invocation.current().terminal();
        ExecRequest request = ExecRequest.asBox(config, config.argv(), List.of(), null, null, terminal);
        int code;
        if (terminal) {
            code = TerminalExec.run(boxes, b, request);
        } else {
            try (ExecSession s = boxes.exec(b, request)) {
                // interrupted: the command's session ends as it would with this process
                Invocation.current().onSignal(new Thread(() -> closeQuietly(s)));
                if (interactive) {
                    s.pumpStdin(Invocation.current().stdin());
                } else {
                    s.closeStdin();
                }
                code = s.relay(Invocation.current().stdout(), Invocation.current().stderr());
            }
        }
        // the box ends with its attached command; wait until its supervisor has recorded that
        try {
            boxes.await(boxes.get(id));
        } catch (io.krunbox.runtime.base.BoxException removed) {
            // run --rm: its supervisor removed it as it ended
        }
        return code;
    }

    private static void closeQuietly(ExecSession s) {
        try {
            s.close();
        } catch (java.io.IOException ignored) {
            // already closed
        }
    }
}
