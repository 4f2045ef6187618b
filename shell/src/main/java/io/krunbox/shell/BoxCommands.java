package io.krunbox.shell;

import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** What box commands share: opening the home's state, and how boxes are shown. */
final class BoxCommands implements AutoCloseable {
    final Krunbox krunbox;
    final Images images;
    final Boxes boxes;

    BoxCommands() {
        this(Krunbox.open());
    }

    BoxCommands(Krunbox krunbox) {
        this.krunbox = krunbox;
        images = krunbox.images();
        boxes = krunbox.boxes();
    }

    /**
     * The box's image layers as directories, top first, unpacked into the layer cache when they
     * are not there (a box whose root is a copy needs none of them to run, but diff and commit
     * compare with them).
     */
    java.util.List<java.nio.file.Path> lowerDirs(io.krunbox.runtime.state.BoxStore.BoxRecord b) throws java.io.IOException {
        var held = b.imageId() == null ? java.util.Optional.<io.krunbox.oci.store.ImageStore.Record>empty()
                : images.find(b.imageId());
        io.krunbox.oci.Image image = held.isPresent() ? images.image(held.get(), b.image())
                : io.krunbox.runtime.image.ImageResolver.fromEnvironment().resolve(b.image(), images, null);
        for (io.krunbox.oci.Image.Layer l : image.layers()) {
            images.layers().ensure(l, b.image());
        }
        return b.lowerDirs(krunbox.home());
    }

    @Override
    public void close() {
        krunbox.close();
    }

    /** Something done to one named thing (a network, a volume). */
    interface NameAction {
        void apply(BoxCommands c, String name) throws Exception;
    }

    /** As {@link #each}, for names that are not boxes: each name done on stdout, an error line for each failure. */
    static int eachName(List<String> names, picocli.CommandLine.Model.CommandSpec spec, NameAction action) throws Exception {
        try (BoxCommands c = new BoxCommands()) {
            return eachName(c, names, spec, action);
        }
    }

    /** As {@link #eachName(List, picocli.CommandLine.Model.CommandSpec, NameAction)}, in a home already open. */
    static int eachName(BoxCommands c, List<String> names, picocli.CommandLine.Model.CommandSpec spec, NameAction action)
            throws Exception {
        int status = 0;
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        for (String n : names) {
            try {
                action.apply(c, n);
                out.println(n);
            } catch (io.krunbox.runtime.base.BoxException e) {
                err.println("Error: " + e.getMessage());
                status = 1;
            }
        }
        out.flush();
        err.flush();
        return status;
    }

    /** Labels stored as {@code KEY=VALUE} lines (a bare KEY has an empty value), as the map inspect shows. */
    static java.util.Map<String, String> labelMap(List<String> labels) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            out.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        return out;
    }

    /** Prints {@code rows} as a JSON array, as {@code inspect} and {@code --format json} do. */
    static void printJson(picocli.CommandLine.Model.CommandSpec spec, Object rows) throws Exception {
        spec.commandLine().getOut().println(new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        spec.commandLine().getOut().flush();
    }

    /** Something done to one box. */
    interface Action {
        void apply(BoxCommands c, BoxRecord b) throws Exception;
    }

    /**
     * Does {@code action} to each named box, as Docker's multi-box commands do: all at once (a
     * stop of ten boxes takes as long as the slowest, not the sum), then the name of each box
     * done on stdout and an error line for each that failed, in the order given; status 1 when
     * any failed.
     */
    static int each(List<String> targets, picocli.CommandLine.Model.CommandSpec spec, Action action) throws Exception {
        try (BoxCommands c = new BoxCommands()) {
            return each(c, targets, spec, action);
        }
    }

    /** As {@link #each(List, picocli.CommandLine.Model.CommandSpec, Action)}, in a home already open. */
    static int each(BoxCommands c, List<String> targets, picocli.CommandLine.Model.CommandSpec spec, Action action)
            throws Exception {
        if (targets.size() < 2) {
            return eachName(c, targets, spec, (same, t) -> action.apply(same, same.boxes.get(t)));
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        int status = 0;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(targets.size(), 8));
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (String t : targets) {
                done.add(pool.submit(() -> {
                    action.apply(c, c.boxes.get(t));
                    return null;
                }));
            }
            Exception unexpected = null;
            for (int i = 0; i < targets.size(); i++) {
                try {
                    done.get(i).get();
                    out.println(targets.get(i));
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof io.krunbox.runtime.base.BoxException be) {
                        err.println("Error: " + be.getMessage());
                        status = 1;
                    } else if (unexpected == null) {
                        unexpected = e.getCause() instanceof Exception ex ? ex : e;
                    }
                }
            }
            if (unexpected != null) {
                throw unexpected;
            }
        } finally {
            pool.shutdownNow();
        }
        out.flush();
        err.flush();
        return status;
    }

    /** "Up 3 minutes", "Exited (7) 2 hours ago", "Created", "Failed". */
    static String status(BoxRecord b) {
        return switch (b.status()) {
            case RUNNING -> "Up " + Ages.ago(b.startedAt()).replace(" ago", "") + switch (b.health() == null ? "" : b.health()) {
                case "healthy" -> " (healthy)";
                case "unhealthy" -> " (unhealthy)";
                case "starting" -> " (health: starting)";
                default -> "";
            };
            case RESTARTING -> "Restarting (" + b.exitCode() + ") " + Ages.ago(b.finishedAt() == null ? b.startedAt() : b.finishedAt());
            case EXITED -> "Exited (" + b.exitCode() + ") " + Ages.ago(b.finishedAt());
            case FAILED -> "Failed " + Ages.ago(b.finishedAt());
            case CREATING, CREATED -> "Created";
        };
    }

    /** The command as Docker's ps shows it: quoted, cut at 20 characters. */
    static String command(BoxRecord b) {
        return command(b, true);
    }

    /** As {@link #command(BoxRecord)}; uncut with {@code cut} false ({@code ps --no-trunc}). */
    static String command(BoxRecord b, boolean cut) {
        BoxSpec spec = b.spec();
        String cmd = "";
        if (spec != null) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            if (spec.entrypoint() != null) {
                parts.addAll(spec.entrypoint());
            }
            if (spec.command() != null) {
                parts.addAll(spec.command());
            }
            cmd = String.join(" ", parts);
        }
        return "\"" + (cut && cmd.length() > 20 ? cmd.substring(0, 19) + "…" : cmd) + "\"";
    }

    /** An RFC 3339 time, or a duration back from now: 10s, 5m, 2h, 1d. */
    static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            var m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("\"" + text + "\" is not a time: use RFC 3339 (2026-01-02T15:04:05Z)"
                        + " or a duration such as 10m");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(d);
        }
    }
}
