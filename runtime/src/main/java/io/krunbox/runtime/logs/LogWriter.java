package io.krunbox.runtime.logs;

import io.krunbox.runtime.model.LogPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Writes a box's output to its log as lines {@code <RFC 3339 time> <stdout|stderr> <text>}.
 * Each stream is cut at newlines; a last unfinished line is written on {@link #close}. When a
 * line would take the file past the policy's size, the file is rotated first ({@code LOG.1} is
 * the newest old one; at most {@code maxFiles} files in all), as krunbox-monitor does.
 */
public final class LogWriter implements AutoCloseable {
    private final Path path;
    private final LogPolicy policy;
    private final Object lock = new Object();
    private OutputStream file;
    private long size;
    private final Line out = new Line("stdout");
    private final Line err = new Line("stderr");

    public LogWriter(Path path, LogPolicy policy) throws IOException {
        this.path = path;
        this.policy = policy;
        this.file = open();
    }

    private OutputStream open() throws IOException {
        OutputStream o = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(path);
        return o;
    }

    /** The log files of {@code path}, oldest first, that exist. */
    public static java.util.List<Path> files(Path path) {
        java.util.List<Path> out = new java.util.ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            Path p = rotated(path, i);
            if (Files.exists(p)) {
                out.add(p);
            }
        }
        if (Files.exists(path)) {
            out.add(path);
        }
        return out;
    }

    static Path rotated(Path path, int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private void rotate() throws IOException {
        file.close();
        int keep = policy.maxFiles() - 1;
        Files.deleteIfExists(rotated(path, Math.max(keep, 1)));
        if (keep == 0) {
            Files.deleteIfExists(path);
        } else {
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(rotated(path, i))) {
                    Files.move(rotated(path, i), rotated(path, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, rotated(path, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        file = open();
    }

    private void write(byte[] line) throws IOException {
        if (size > 0 && size + line.length > policy.maxBytes()) {
            rotate();
        }
        file.write(line);
        file.flush();
        size += line.length;
    }

    public OutputStream stdout() {
        return out;
    }

    public OutputStream stderr() {
        return err;
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
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
            synchronized (lock) {
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        emit();
                    } else {
                        // a line longer than a file may be is cut, as the monitor cuts at its buffer
                        if (pending.size() >= Math.min(65536, policy.maxBytes() / 2)) {
                            emit();
                        }
                        pending.write(b[i]);
                    }
                }
            }
        }

        private void emit() throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(pending.size() + 48);
            line.write((Instant.now() + " " + stream + " ").getBytes(StandardCharsets.UTF_8));
            pending.writeTo(line);
            line.write('\n');
            pending.reset();
            LogWriter.this.write(line.toByteArray());
        }

        void flushPartial() throws IOException {
            if (pending.size() > 0) {
                emit();
            }
        }
    }
}
