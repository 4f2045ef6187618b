package io.krunbox.runtime.logs;

import io.krunbox.runtime.isolation.BoxOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Sends a foreground box's output to the caller and, for the sandbox, to the box's log (a VM's console is its own log). */
public final class LogTee {
    private final BoxOutput caller;
    private volatile LogWriter log;

    public LogTee(BoxOutput caller) {
        this.caller = caller;
    }

    public void open(Path file, boolean write, io.krunbox.runtime.model.LogPolicy policy) throws IOException {
        if (write) {
            log = new LogWriter(file, policy);
        }
    }

    public BoxOutput output() {
        return new BoxOutput(new Tee(caller.out(), true), new Tee(caller.err(), false));
    }

    public void close() {
        try {
            if (log != null) {
                log.close();
            }
        } catch (IOException ignored) {
            // the log is best effort once the box is over
        }
    }

    private final class Tee extends OutputStream {
        private final OutputStream to;
        private final boolean stdout;

        Tee(OutputStream to, boolean stdout) {
            this.to = to;
            this.stdout = stdout;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            to.write(b, off, len);
            LogWriter l = log;
            if (l != null) {
                (stdout ? l.stdout() : l.stderr()).write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            to.flush();
        }
    }
}
