package io.krunbox.runtime.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/** Reads a box log back, filtered as {@code logs} asks; raw lines (a VM console) pass as stdout without a time. */
public final class LogReader {
    public record Options(boolean timestamps, Instant since, Instant until, int tail, boolean follow) {}

    private LogReader() {}

    /** The text of one log line as the runtime and krunbox-monitor write it (a raw line as it is). */
    public static String text(String line) {
        return Entry.parse(line).text();
    }

    /** One parsed line: its time (null for raw lines), stream and text. */
    record Entry(Instant time, boolean stderr, String text) {
        static Entry parse(String line) {
            int a = line.indexOf(' ');
            int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
            if (a > 0 && b > a) {
                String stream = line.substring(a + 1, b);
                if (stream.equals("stdout") || stream.equals("stderr")) {
                    try {
                        return new Entry(Instant.parse(line.substring(0, a)), stream.equals("stderr"), line.substring(b + 1));
                    } catch (DateTimeParseException raw) {
                        // not one of ours: a raw console line
                    }
                }
            }
            return new Entry(null, false, line);
        }

        boolean wanted(Options o) {
            return time == null || ((o.since() == null || !time.isBefore(o.since())) && (o.until() == null || time.isBefore(o.until())));
        }

        void print(Options o, PrintStream out, PrintStream err) {
            (stderr ? err : out).println(o.timestamps() && time != null ? time + " " + text : text);
        }
    }

    /**
     * Prints the log (its rotated files first, oldest first); with {@code follow}, keeps printing
     * new lines, across rotations, until {@code running} turns false.
     */
    public static void print(Path log, Options o, PrintStream out, PrintStream err, BooleanSupplier running)
            throws IOException, InterruptedException {
        java.util.List<Path> files = LogWriter.files(log);
        if (files.isEmpty()) {
            return;
        }
        Deque<Entry> last = new ArrayDeque<>();
        for (Path f : files) {
            if (f.equals(log)) {
                continue;
            }
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                history(r, o, out, err, last);
            } catch (java.nio.file.NoSuchFileException rotatedAway) {
                // rotated out while we read: its lines are gone
            }
        }
        if (!Files.exists(log)) {
            last.forEach(e -> e.print(o, out, err));
            return;
        }
        BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8);
        Object key = fileKey(log);
        try {
            history(r, o, out, err, last);
            last.forEach(e -> e.print(o, out, err));
            out.flush();
            err.flush();
            if (!o.follow()) {
                return;
            }
            StringBuilder partial = new StringBuilder();
            for (;;) {
                boolean alive = running.getAsBoolean();
                int c;
                while ((c = r.read()) >= 0) {
                    if (c == '\n') {
                        Entry e = Entry.parse(partial.toString());
                        if (e.wanted(o)) {
                            e.print(o, out, err);
                        }
                        partial.setLength(0);
                    } else {
                        partial.append((char) c);
                    }
                }
                out.flush();
                err.flush();
                Object now = fileKey(log);
                if (now != null && !now.equals(key)) {
                    // rotated: the old file is read to its end; go on with the new one
                    r.close();
                    r = Files.newBufferedReader(log, StandardCharsets.UTF_8);
                    key = now;
                    continue;
                }
                if (!alive) {
                    return;
                }
                Thread.sleep(100);
            }
        } finally {
            r.close();
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static void history(BufferedReader r, Options o, PrintStream out, PrintStream err, Deque<Entry> last)
            throws IOException {
        String line;
        while ((line = r.readLine()) != null) {
            Entry e = Entry.parse(line);
            if (!e.wanted(o)) {
                continue;
            }
            if (o.tail() >= 0) {
                last.addLast(e);
                if (last.size() > o.tail()) {
                    last.removeFirst();
                }
            } else {
                e.print(o, out, err);
            }
        }
    }
}
