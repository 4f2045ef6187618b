package io.krunbox.runtime.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes a box's output to its log as lines {@code <RFC 3339 time> <stdout|stderr> <text>}.
 * Each stream is cut at newlines; a last unfinished line is written on {@link #close}.
 */
public final class LogWriter implements AutoCloseable {
    private final OutputStream file;
    private final Line out = new Line("stdout");
    private final Line err = new Line("stderr");

    public LogWriter(OutputStream file) {
        this.file = file;
    }

    public OutputStream stdout() {
        return out;
    }

    public OutputStream stderr() {
        return err;
    }

    @Override
    public void close() throws IOException {
        synchronized (file) {
            out.flushPartial();
            err.flushPartial();
            file.close();
        }
    }

    private final class Line extends OutputStream {
        private final String stream;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        Line(String stream) {
            this.stream = stream;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (file) {
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        emit();
                    } else {
                        pending.write(b[i]);
                    }
                }
                file.flush();
            }
        }

        private void emit() throws IOException {
            file.write((Instant.now() + " " + stream + " ").getBytes(StandardCharsets.UTF_8));
            pending.writeTo(file);
            file.write('\n');
            pending.reset();
        }

        void flushPartial() throws IOException {
            if (pending.size() > 0) {
                emit();
            }
        }
    }
}
