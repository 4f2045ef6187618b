package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.logs.LogReader;
import io.krunbox.runtime.topology.ProjectBoxes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code compose logs}: every box's output, each line prefixed {@code name |}, coloured on a terminal. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Show the output of the project's boxes.")
public final class ComposeLogsCommand implements Callable<Integer> {
    private static final String[] COLOURS = {"36", "33", "32", "35", "34", "31"};

    @ParentCommand ComposeCommand compose;

    @Option(names = {"-f", "--follow"}, description = "Keep following.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Only the last N lines of each.")
    String tail = "all";

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try (BoxCommands c = new BoxCommands()) {
            return follow(c.boxes, compose.projectName(), services, follow, false, null,
                    tail.equals("all") ? -1 : Integer.parseInt(tail));
        }
    }

    static int follow(Boxes boxes, String project, List<String> services, boolean follow, boolean abortOnExit,
                      String exitCodeFrom) throws Exception {
        return follow(boxes, project, services, follow, abortOnExit, exitCodeFrom, -1);
    }

    /** Prints (and with {@code follow}, follows) the boxes' logs; returns the exit code asked for, else 0. */
    static int follow(Boxes boxes, String project, List<String> services, boolean follow, boolean abortOnExit,
                      String exitCodeFrom, int tail) throws Exception {
        PrintStream out = new PrintStream(Invocation.current().stdout(), true);
        boolean colour = Invocation.current().terminal();
        List<ProjectBoxes.ProjectBox> all = new ArrayList<>(ProjectBoxes.of(boxes, project));
        all.removeIf(b -> !services.isEmpty() && !services.contains(b.service()));
        all.sort(java.util.Comparator.comparing(b -> b.record().name()));
        int width = all.stream().mapToInt(b -> b.record().name().length()).max().orElse(0);
        List<Thread> readers = new ArrayList<>();
        Thread stopper = new Thread(() -> stopAll(boxes, all));
        if (follow) {
            Invocation.current().onSignal(stopper); // Ctrl-C stops the project gracefully
        }
        for (int i = 0; i < all.size(); i++) {
            ProjectBoxes.ProjectBox b = all.get(i);
            String name = String.format("%-" + width + "s | ", b.record().name());
            String prefix = colour ? "\u001b[" + COLOURS[i % COLOURS.length] + "m" + name + "\u001b[0m" : name;
            PrintStream lines = new PrintStream(new Prefixed(out, prefix), true);
            Thread t = new Thread(() -> {
                try {
                    LogReader.print(boxes.log(b.record()), new LogReader.Options(false, null, null, tail, follow), lines,
                            lines, () -> boxes.get(b.record().id()).status().active());
                } catch (Exception e) {
                    lines.println("(log ended: " + e.getMessage() + ")");
                }
            }, "logs-" + b.record().name());
            t.start();
            readers.add(t);
        }
        if (abortOnExit) {
            while (readers.stream().allMatch(Thread::isAlive)) {
                Thread.sleep(100);
            }
            stopAll(boxes, all);
        }
        for (Thread t : readers) {
            t.join();
        }
        if (follow) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the stopper runs
            }
        }
        if (exitCodeFrom != null) {
            for (ProjectBoxes.ProjectBox b : all) {
                if (exitCodeFrom.equals(b.service())) {
                    Integer code = boxes.get(b.record().id()).exitCode();
                    return code == null ? 0 : code;
                }
            }
        }
        return 0;
    }

    private static void stopAll(Boxes boxes, List<ProjectBoxes.ProjectBox> all) {
        for (ProjectBoxes.ProjectBox b : all) {
            try {
                boxes.stop(boxes.get(b.record().id()), null);
            } catch (Exception e) {
                // stopping the rest matters more
            }
        }
    }

    /** Writes whole lines to {@code to}, each after {@code prefix}. */
    static final class Prefixed extends OutputStream {
        private final PrintStream to;
        private final String prefix;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Prefixed(PrintStream to, String prefix) {
            this.to = to;
            this.prefix = prefix;
        }

        @Override
        public void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                synchronized (to) {
                    to.print(prefix);
                    to.write(line.toByteArray());
                }
                line.reset();
            }
        }

        @Override
        public void flush() {
            to.flush();
        }
    }
}
