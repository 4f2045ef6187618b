package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.topology.ProjectBoxes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The compose commands that act on a project's boxes by service: each finds the boxes from
 * their labels and runs the matching krunbox command on them, so both behave the same.
 */
final class ComposeBoxCommands {
    private ComposeBoxCommands() {}

    /** The boxes of the named services (all when none named), in name order. */
    static List<String> boxes(ComposeCommand compose, List<String> services, boolean all) {
        String project = compose.projectName();
        try (BoxCommands c = new BoxCommands()) {
            List<String> out = new ArrayList<>();
            for (ProjectBoxes.ProjectBox b : ProjectBoxes.of(c.boxes, project)) {
                if ((services.isEmpty() || services.contains(b.service()))
                        && (all || b.record().status().active())) {
                    out.add(b.record().name());
                }
            }
            java.util.Collections.sort(out);
            return out;
        }
    }

    static int each(String command, List<String> extra, List<String> boxes) {
        if (boxes.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(extra);
        args.addAll(boxes);
        return Main.commandLine().execute(args.toArray(String[]::new));
    }

    @Command(name = "exec", mixinStandardHelpOptions = true, description = "Run a command in a service's box.")
    static final class Exec implements Callable<Integer>, TakesCommandLine {
        @ParentCommand ComposeCommand compose;

        @Option(names = {"-T", "--no-TTY"}, description = "No terminal (the default when stdin is not one).")
        boolean noTty;

        @Option(names = "--index", paramLabel = "N", description = "Which replica (default: 1).")
        int index = 1;

        @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE")
        List<String> env = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1..*", paramLabel = "COMMAND")
        List<String> command = new ArrayList<>();

        @Override
        public Integer call() {
            Topology t = compose.topology();
            List<String> args = new ArrayList<>(List.of("exec"));
            if (!noTty && Invocation.current().terminal()) {
                args.add("-it");
            }
            env.forEach(e -> args.addAll(List.of("-e", e)));
            args.add(t.service(service).boxName(t.project(), index));
            args.addAll(command);
            return Main.commandLine().execute(args.toArray(String[]::new));
        }
    }

    /** stop / start / restart / kill / rm / wait / top on the project's boxes. */
    abstract static class OnBoxes implements Callable<Integer> {
        @ParentCommand ComposeCommand compose;

        @Parameters(paramLabel = "SERVICE", arity = "0..*")
        List<String> services = new ArrayList<>();

        abstract String command();

        List<String> extra() {
            return List.of();
        }

        boolean all() {
            return true;
        }

        @Override
        public Integer call() {
            return each(command(), extra(), boxes(compose, services, all()));
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop services' boxes.")
    static final class Stop extends OnBoxes {
        @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS")
        Integer timeout;

        String command() {
            return "stop";
        }

        List<String> extra() {
            return timeout == null ? List.of() : List.of("-t", timeout.toString());
        }

        boolean all() {
            return false;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start services' stopped boxes.")
    static final class Start extends OnBoxes {
        String command() {
            return "start";
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart services' boxes.")
    static final class Restart extends OnBoxes {
        String command() {
            return "restart";
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal to services' boxes.")
    static final class Kill extends OnBoxes {
        @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL")
        String signal = "KILL";

        String command() {
            return "kill";
        }

        List<String> extra() {
            return List.of("-s", signal);
        }

        boolean all() {
            return false;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove services' stopped boxes.")
    static final class Rm extends OnBoxes {
        @Option(names = {"-f", "--force"}, description = "Also running ones.")
        boolean force;

        @Option(names = {"-s", "--stop"}, description = "Stop them first.")
        boolean stop;

        @Option(names = {"-v", "--volumes"}, description = "Also their anonymous volumes.")
        boolean volumes;

        String command() {
            return "rm";
        }

        List<String> extra() {
            List<String> e = new ArrayList<>();
            if (force || stop) {
                e.add("-f");
            }
            if (volumes) {
                e.add("-v");
            }
            return e;
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait for services' boxes to end.")
    static final class Wait extends OnBoxes {
        String command() {
            return "wait";
        }
    }

    @Command(name = "top", mixinStandardHelpOptions = true, description = "Processes of services' boxes.")
    static final class Top extends OnBoxes {
        String command() {
            return "top";
        }

        boolean all() {
            return false;
        }

        @Override
        public Integer call() {
            int status = 0;
            // top takes one box: each is named, then listed
            for (String b : boxes(compose, services, all())) {
                Invocation.current().out().println(b);
                status |= each(command(), extra(), List.of(b));
            }
            return status;
        }
    }

    @Command(name = "port", mixinStandardHelpOptions = true, description = "The host address of a service's published port.")
    static final class Port implements Callable<Integer> {
        @ParentCommand ComposeCommand compose;

        @Option(names = "--index", paramLabel = "N")
        int index = 1;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "PORT[/PROTO]")
        String port;

        @Override
        public Integer call() {
            Topology t = compose.topology();
            return Main.commandLine().execute("port", t.service(service).boxName(t.project(), index), port);
        }
    }

    @Command(name = "images", mixinStandardHelpOptions = true, description = "The images the project's boxes use.")
    static final class Images implements Callable<Integer> {
        @ParentCommand ComposeCommand compose;

        @Override
        public Integer call() {
            String project = compose.projectName();
            try (BoxCommands c = new BoxCommands()) {
                Table t = new Table("BOX", "IMAGE", "IMAGE ID");
                for (ProjectBoxes.ProjectBox b : ProjectBoxes.of(c.boxes, project)) {
                    t.row(b.record().name(), b.record().image(), b.record().imageId() == null ? ""
                            : b.record().imageId().replace("sha256:", "").substring(0, 12));
                }
                t.print(new java.io.PrintWriter(Invocation.current().out(), true));
            }
            return 0;
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true, description = "Pull the services' images.")
    static final class Pull implements Callable<Integer> {
        @ParentCommand ComposeCommand compose;

        @Parameters(paramLabel = "SERVICE", arity = "0..*")
        List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            // a service built here under its <project>-<service> name has nothing to pull
            return eachImage(compose.topology(), services, (t, s) -> !(s.build() != null
                    && s.template().image().equals(t.project() + "-" + s.name()))
                    && !io.krunbox.runtime.image.ImageResolver.isLocal(s.template().image()), "pull", "-q");
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true, description = "Push the images of the services that have build:.")
    static final class Push implements Callable<Integer> {
        @ParentCommand ComposeCommand compose;

        @Parameters(paramLabel = "SERVICE", arity = "0..*")
        List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            return eachImage(compose.topology(), services, (t, s) -> s.build() != null, "push");
        }
    }

    /** {@code krunbox ARGS... IMAGE}, once per image of the services named (all when none) that {@code wanted} keeps. */
    static int eachImage(Topology t, List<String> services, java.util.function.BiPredicate<Topology, Topology.Service> wanted,
                         String... args) {
        int status = 0;
        java.util.Set<String> done = new java.util.HashSet<>();
        for (Topology.Service s : t.services()) {
            String image = s.template().image();
            if ((services.isEmpty() || services.contains(s.name())) && wanted.test(t, s) && done.add(image)) {
                String[] argv = java.util.Arrays.copyOf(args, args.length + 1);
                argv[args.length] = image;
                status |= Main.commandLine().execute(argv);
            }
        }
        return status;
    }
}
