package io.krunbox.shell;

import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.linux.CallerKeys;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;

/**
 * {@code exec -it} on a real terminal: raw mode here, a PTY in the box, window size forwarded.
 * Inside {@code krunbox shell} it borrows the shell's terminal and gives it back intact: the
 * keyboard is read with timeouts, so nothing typed after the exec ends is taken from the shell.
 */
final class TerminalExec {
    /** The terminal of the running shell, when there is one. */
    static volatile Terminal shared;

    private TerminalExec() {}

    static int run(Boxes boxes, BoxRecord b, ExecRequest request) throws IOException {
        Invocation call = Invocation.current();
        if (call.remoteTerminal() != null) {
            return runRemote(boxes, b, request, call);
        }
        Terminal borrowed = shared;
        Terminal terminal = borrowed != null ? borrowed : TerminalBuilder.builder().system(true).build();
        try {
            Size size = terminal.getSize();
            ExecRequest sized = new ExecRequest(request.argv(), request.env(), request.workdir(), request.user(), true,
                    size.getRows() > 0 ? size.getRows() : 24, size.getColumns() > 0 ? size.getColumns() : 80);
            Attributes saved = terminal.enterRawMode();
            Terminal.SignalHandler previous = null;
            try (ExecSession s = boxes.exec(b, sized)) {
                previous = terminal.handle(Terminal.Signal.WINCH, sig -> {
                    try {
                        Size now = terminal.getSize();
                        s.resize(now.getRows(), now.getColumns());
                    } catch (IOException ignored) {
                        // the exec is ending
                    }
                });
                return relayWhileKeysPump(s, terminal.output(), done -> pumpKeys(terminal.reader(), s, done));
            } finally {
                terminal.setAttributes(saved);
                if (previous != null) {
                    terminal.handle(Terminal.Signal.WINCH, previous);
                }
            }
        } finally {
            if (borrowed == null) {
                terminal.close();
            }
        }
    }

    /** The same through the warm server: the client sets raw mode on its terminal and reports its size. */
    private static int runRemote(Boxes boxes, BoxRecord b, ExecRequest request, Invocation call) throws IOException {
        Invocation.RemoteTerminal remote = call.remoteTerminal();
        int[] size = remote.size();
        ExecRequest sized = new ExecRequest(request.argv(), request.env(), request.workdir(), request.user(), true,
                size[0] > 0 ? size[0] : 24, size[1] > 0 ? size[1] : 80);
        remote.raw(true);
        try (ExecSession s = boxes.exec(b, sized)) {
            remote.onResize(() -> {
                int[] now = remote.size();
                try {
                    s.resize(now[0], now[1]);
                } catch (IOException ignored) {
                    // the exec is ending
                }
            });
            return relayWhileKeysPump(s, call.stdout(), done -> {
                byte[] buf = new byte[4096];
                try {
                    while (!done.get()) {
                        int n = CallerKeys.read(call.stdinDescriptor(), buf, 100);
                        if (n == -1) {
                            s.closeStdin();
                            return;
                        }
                        if (n > 0 && !done.get()) {
                            s.stdin(buf, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the exec ended
                }
            });
        } finally {
            remote.onResize(null);
            remote.raw(false);
        }
    }

    /** The session's output to {@code out} until it ends, while {@code pump} sends keys until told it is done. */
    private static int relayWhileKeysPump(ExecSession s, java.io.OutputStream out,
                                          java.util.function.Consumer<java.util.concurrent.atomic.AtomicBoolean> pump)
            throws IOException {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread keys = new Thread(() -> pump.accept(done), "exec-keys");
        keys.setDaemon(true);
        keys.start();
        try {
            return s.relay(out, out);
        } finally {
            done.set(true);
            try {
                keys.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pumpKeys(NonBlockingReader reader, ExecSession s, java.util.concurrent.atomic.AtomicBoolean done) {
        try {
            while (!done.get()) {
                int c = reader.read(100);
                if (c == NonBlockingReader.EOF) {
                    s.closeStdin();
                    return;
                }
                if (c >= 0 && !done.get()) {
                    byte[] bytes = String.valueOf((char) c).getBytes(StandardCharsets.UTF_8);
                    s.stdin(bytes, bytes.length);
                }
            }
        } catch (IOException ignored) {
            // the exec ended
        }
    }
}
