package io.krunbox.runtime.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A box's health as its krunbox-monitor last wrote it ({@value #FILE} in the box's directory,
 * replaced whole through a rename): the status, the failures in a row and the last five results,
 * in Docker's {@code State.Health} terms. The file is read with a bound and parsed strictly; one
 * that does not parse reads as none.
 */
public record BoxHealth(String status, int failingStreak, List<Result> log) {
    public static final String FILE = "health.status";
    private static final int MAX_BYTES = 64 * 1024;

    /** One run of the check: when, its exit code (-1 when it timed out or the box was not reached) and its output. */
    public record Result(Instant start, Instant end, int exitCode, String output) {}

    public BoxHealth {
        log = List.copyOf(log);
    }

    /** The health the monitor of the box in {@code boxDir} recorded, if it did. */
    public static Optional<BoxHealth> read(Path boxDir) {
        Path f = boxDir.resolve(FILE);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (IOException gone) {
            return Optional.empty();
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    static Optional<BoxHealth> parse(String text) {
        String[] lines = text.split("\n", -1);
        String[] head = lines[0].split(" ");
        if (head.length != 2 || !head[0].matches("starting|healthy|unhealthy") || !head[1].matches("[0-9]{1,9}")) {
            return Optional.empty();
        }
        List<Result> results = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] f = lines[i].split(" ", 4);
            if (f.length < 3 || !f[0].matches("[0-9]{1,15}") || !f[1].matches("[0-9]{1,15}") || !f[2].matches("-?[0-9]{1,3}")) {
                return Optional.empty();
            }
            results.add(new Result(Instant.ofEpochMilli(Long.parseLong(f[0])), Instant.ofEpochMilli(Long.parseLong(f[1])),
                    Integer.parseInt(f[2]), f.length == 4 ? unescape(f[3]) : ""));
        }
        return Optional.of(new BoxHealth(head[0], Integer.parseInt(head[1]), results));
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The time of the newest result, or null before the first. */
    public Instant lastEnd() {
        return log.isEmpty() ? null : log.get(log.size() - 1).end();
    }
}
