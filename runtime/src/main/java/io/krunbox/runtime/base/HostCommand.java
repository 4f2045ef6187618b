package io.krunbox.runtime.base;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a host tool (mount, umount, ...) and turns a failure into an error that shows its output. */
public final class HostCommand {
    private HostCommand() {}

    /** Runs {@code cmd}; returns its output, or throws with the command line and what it printed. */
    public static String run(String... cmd) {
        Result r = tryRun(cmd);
        if (r.exitCode() != 0) {
            throw new BoxException(String.join(" ", cmd) + " failed (exit " + r.exitCode() + "): " + r.output().trim());
        }
        return r.output();
    }

    public static Result tryRun(String... cmd) {
        return tryRunIn(null, cmd);
    }

    /** Runs {@code cmd} in directory {@code dir} (null: the current one). */
    public static Result tryRunIn(java.nio.file.Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).directory(dir == null ? null : dir.toFile())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            return new Result(127, cmd[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }

    public record Result(int exitCode, String output) {}
}
