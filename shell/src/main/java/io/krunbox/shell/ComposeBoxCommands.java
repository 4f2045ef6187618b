package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.topology.ProjectBoxes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The compose commands that act on a project's boxes by service: each finds the boxes from
 * their labels and does to them what the krunbox command of the same name does, through the
 * same code, so both behave the same.
 */
final class ComposeBoxCommands {
    private ComposeBoxCommands() {}

    /** The boxes of the named services (all when none named), in name order. */
    static List<String> boxes(BoxCommands c, ComposeCommand compose, List<String> services, boolean all) {
        List<String> out = new ArrayList<>();
        for (ProjectBoxes.ProjectBox b : c.krunbox.project(compose.projectName())) {
            if ((services.isEmpty() || services.contains(b.service()))
                    && (all || b.record().status().active())) {
                out.add(b.record().name());
            }
        }
        java.util.Collections.sort(out);
        return out;
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

        @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory (default: the box's).")
        String workdir;

        @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "User (default: the box's).")
        String user;

        @Option(names = {"-d", "--detach"}, description = "Start the command in the background and return.")
        boolean detach;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1..*", paramLabel = "COMMAND")
        List<String> command = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Topology t = compose.topology();
            try (BoxCommands c = new BoxCommands()) {
                // as Docker Compose: stdin always passed, a terminal unless -T or none is there
                return ExecCommand.exec(c, c.boxes.get(t.service(service).boxName(t.project(), index)), command, env,
                        workdir, user, true, !noTty && Invocation.current().terminal(), detach);
            }
        }
    }

    /** stop / start / restart / kill / rm / wait / top: on the boxes of the services named, all when none. */
    abstract static class OnServices implements Callable<Integer> {
        @ParentCommand ComposeCommand compose;

        @Parameters(paramLabel = "SERVICE", arity = "0..*")
        List<String> services = new ArrayList<>();

        @Spec CommandSpec spec;

        /** Whether stopped boxes count too. */
        boolean all() {
            return true;
        }
    }

    /** A command done to each box, printing its name, as the krunbox command of the same name does it. */
    abstract static class OnBoxes extends OnServices {
        abstract BoxCommands.Action action();

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                List<String> boxes = boxes(c, compose, services, all());
                return boxes.isEmpty() ? 0 : BoxCommands.each(c, boxes, spec, action());
            }
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop services' boxes.")
    static final class Stop extends OnBoxes {
        @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS")
        Integer timeout;

        BoxCommands.Action action() {
            Duration grace = timeout == null ? null : Duration.ofSeconds(timeout);
            return (c, b) -> c.boxes.stop(b, grace);
        }

        boolean all() {
            return false;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start services' stopped boxes.")
    static final class Start extends OnBoxes {
        BoxCommands.Action action() {
            return (c, b) -> c.krunbox.start(b);
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart services' boxes.")
    static final class Restart extends OnBoxes {
        @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS")
        Integer timeout;

        BoxCommands.Action action() {
            Duration grace = timeout == null ? null : Duration.ofSeconds(timeout);
            return (c, b) -> c.krunbox.restart(b, grace);
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal to services' boxes.")
    static final class Kill extends OnBoxes {
        @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL")
        String signal = "KILL";

        BoxCommands.Action action() {
            return (c, b) -> c.boxes.kill(b, signal);
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

        BoxCommands.Action action() {
            return (c, b) -> c.boxes.remove(b, force || stop, volumes);
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait for services' boxes to end.")
    static final class Wait extends OnServices {
        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                return WaitCommand.await(c, boxes(c, compose, services, all()), spec.commandLine().getOut());
            }
        }
    }

    @Command(name = "top", mixinStandardHelpOptions = true, description = "Processes of services' boxes.")
    static final class Top extends OnServices {
        boolean all() {
            return false;
        }

        @Override
        public Integer call() throws Exception {
            int status = 0;
            var out = spec.commandLine().getOut();
            try (BoxCommands c = new BoxCommands()) {
                // each box is named, then its processes listed
                for (String b : boxes(c, compose, services, all())) {
                    out.println(b);
                    out.flush();
                    try {
                        status |= TopCommand.top(c, c.boxes.get(b), out);
                    } catch (io.krunbox.runtime.base.BoxException e) {
                        status = Main.report(e, spec.commandLine().getErr()); // and on to the next box
                    }
                }
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

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Topology t = compose.topology();
            try (BoxCommands c = new BoxCommands()) {
                return PortCommand.print(c.boxes.get(t.service(service).boxName(t.project(), index)), port, spec);
            }
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
                for (ProjectBoxes.ProjectBox b : c.krunbox.project(project)) {
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

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            // a service built here under its <project>-<service> name has nothing to pull
            return eachImage(compose.topology(), services, (t, s) -> !(s.build() != null
                    && s.template().image().equals(t.project() + "-" + s.name()))
                    && !io.krunbox.runtime.image.ImageResolver.isLocal(s.template().image()), spec, (images, image) -> {
                        images.pull(image, io.krunbox.oci.Platform.host(), io.krunbox.oci.registry.PullListener.QUIET);
                        spec.commandLine().getOut().println(io.krunbox.oci.ImageReference.parse(image));
                    });
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true, description = "Push the images of the services that have build:.")
    static final class Push implements Callable<Integer> {
        @ParentCommand ComposeCommand compose;

        @Parameters(paramLabel = "SERVICE", arity = "0..*")
        List<String> services = new ArrayList<>();

        @Option(names = {"-q", "--quiet"}, description = "Print the manifest digests only.")
        boolean quiet;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            return eachImage(compose.topology(), services, (t, s) -> s.build() != null, spec,
                    (images, image) -> PushCommand.push(images, image, null, false, quiet));
        }
    }

    /** Something done to one image of the project. */
    interface ImageAction {
        void apply(io.krunbox.runtime.image.Images images, String image) throws Exception;
    }

    /**
     * Does {@code action} once per image of the services named (all when none) that {@code wanted}
     * keeps; an image that fails is reported and the others still done (status 125 when any failed).
     */
    static int eachImage(Topology t, List<String> services, java.util.function.BiPredicate<Topology, Topology.Service> wanted,
                         CommandSpec spec, ImageAction action) {
        int status = 0;
        java.util.Set<String> done = new java.util.HashSet<>();
        try (Krunbox krunbox = Krunbox.open()) {
            for (Topology.Service s : t.services()) {
                String image = s.template().image();
                if ((services.isEmpty() || services.contains(s.name())) && wanted.test(t, s) && done.add(image)) {
                    try {
                        action.apply(krunbox.images(), image);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Main.report(e, spec.commandLine().getErr());
                    } catch (Exception e) {
                        status = Main.report(e, spec.commandLine().getErr());
                    }
                }
            }
        }
        spec.commandLine().getOut().flush();
        return status;
    }
}
