package io.krunbox.shell;

import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.IOException;
import java.io.InputStream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** {@code exec -it} on a real terminal: raw mode here, a PTY in the box, window size forwarded. */
final class TerminalExec {
    private TerminalExec() {}

    static int run(Boxes boxes, BoxRecord b, ExecRequest request) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Size size = terminal.getSize();
            ExecRequest sized = new ExecRequest(request.argv(), request.env(), request.workdir(), request.user(), true,
                    size.getRows() > 0 ? size.getRows() : 24, size.getColumns() > 0 ? size.getColumns() : 80);
            Attributes saved = terminal.enterRawMode();
            try (ExecSession s = boxes.exec(b, sized)) {
                terminal.handle(Terminal.Signal.WINCH, sig -> {
                    try {
                        Size now = terminal.getSize();
                        s.resize(now.getRows(), now.getColumns());
                    } catch (IOException ignored) {
                        // the exec is ending
                    }
                });
                InputStream in = terminal.input();
                s.pumpStdin(in);
                return s.relay(terminal.output(), terminal.output());
            } finally {
                terminal.setAttributes(saved);
            }
        }
    }
}
