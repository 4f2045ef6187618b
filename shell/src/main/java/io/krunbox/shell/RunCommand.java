package io.krunbox.shell;

import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.KrunboxHome;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.ByteSize;
import io.krunbox.runtime.model.Isolation;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox run}: create a box from an image, run its command in the foreground, return its exit code. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a command in a new box.",
                "IMAGE is demo, an OCI layout directory, oci:DIR[:TAG], or an image reference (pulled when missing).",
                "Exit status: the command's own, or 125 when krunbox itself fails."})
public class RunCommand implements Callable<Integer> {
    @Option(names = {"-d", "--detach"}, description = "Run in the background and print the box id.")
    boolean detach;

    @Option(names = "--rm", description = "Remove the box when it exits.")
    boolean remove;

    @Option(names = "--name", paramLabel = "NAME", description = "Name the box (default: a generated name).")
    String name;

    @Option(names = "--isolation", paramLabel = "vm|sandbox",
            description = "vm (libkrun micro-VM) or sandbox (namespaces). Default: vm where a VM can boot, else sandbox.")
    String isolation;

    @Option(names = "--cpus", paramLabel = "N", description = "vCPUs of the VM (default: ${DEFAULT-VALUE}).")
    int cpus = BoxSpec.DEFAULT_CPUS;

    @Option(names = "--pids-limit", paramLabel = "N", description = "At most N processes in the box (sandbox; default: no limit).")
    int pidsLimit;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory of the VM, e.g. 512m or 1g (default: 512m).")
    String memory;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE",
            description = "Set an environment variable; KEY alone takes the value from this shell.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the box.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "User (name or uid) inside the box.")
    String user;

    @Option(names = "--hostname", paramLabel = "NAME", description = "Host name inside the box (default: the box name).")
    String hostname;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Replace the image's entrypoint.")
    String entrypoint;

    @Option(names = "--kernel", paramLabel = "PATH", description = "Boot this kernel instead of libkrunfw's (vm).")
    String kernel;

    @Option(names = "--boot-timeout", paramLabel = "SECONDS",
            description = "Give up on a VM that has not booted after this long (default: 10).")
    int bootTimeout = (int) BoxSpec.DEFAULT_BOOT_TIMEOUT.toSeconds();

    @Option(names = "--restart", paramLabel = "POLICY", description = "no, always, on-failure[:N] or unless-stopped.")
    String restart;

    @Option(names = "--health-cmd", paramLabel = "CMD", description = "Command (run by sh -c) that checks the box's health.")
    String healthCmd;

    @Option(names = "--health-interval", paramLabel = "DURATION", description = "Time between checks (default: 30s).")
    String healthInterval = "30s";

    @Option(names = "--health-timeout", paramLabel = "DURATION", description = "A check that takes longer fails (default: 30s).")
    String healthTimeout = "30s";

    @Option(names = "--health-retries", paramLabel = "N", description = "Failures in a row that make the box unhealthy (default: 3).")
    int healthRetries = 3;

    @Option(names = "--health-start-period", paramLabel = "DURATION", description = "Failures do not count this long after start (default: 0s).")
    String healthStartPeriod = "0s";

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Pull from this registry over plain HTTP (127.0.0.1 and localhost always are).")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the plan (every host step and libkrun call) and do nothing.")
    boolean dryRun;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to run.")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (default: the image's).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        BoxSpec spec = spec();
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        try (Images images = Images.open(KrunboxHome.fromEnvironment(), java.util.Set.copyOf(insecureRegistries))) {
            BoxRunner runner = BoxRunner.fromEnvironment(images, err);
            BoxOutput output = new BoxOutput(new FileOutputStream(FileDescriptor.out),
                    new FileOutputStream(FileDescriptor.err));
            if (dryRun) {
                runner.printPlan(runner.plan(spec, output), System.out);
                return 0;
            }
            if (detach) {
                System.out.println(runner.runDetached(spec));
                return 0;
            }
            if (spec.health() != null || spec.restart().mode() != io.krunbox.runtime.model.RestartPolicy.Mode.NO) {
                // restarts and health checks are the supervisor's work: run under one and follow it
                String id = runner.runDetached(spec);
                io.krunbox.runtime.Boxes boxes = new io.krunbox.runtime.Boxes(KrunboxHome.fromEnvironment(),
                        new io.krunbox.runtime.state.BoxStore(images.db()));
                return boxes.attach(boxes.get(id), System.out, err);
            }
            return runner.run(spec, output);
        }
    }

    /** Opens the store and hands a runner to {@code work} (for commands that make boxes like run does). */
    <T> T withRunner(java.util.function.Function<BoxRunner, T> work) {
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        try (Images images = Images.open(KrunboxHome.fromEnvironment(), java.util.Set.copyOf(insecureRegistries))) {
            return work.apply(BoxRunner.fromEnvironment(images, err));
        }
    }

    BoxSpec spec() {
        BoxSpec.Builder b = BoxSpec.builder(image)
                .name(name)
                .remove(remove)
                .cpus(cpus)
                .pidsLimit(pidsLimit)
                .workdir(workdir)
                .user(user)
                .hostname(hostname)
                .kernel(kernel)
                .bootTimeout(Duration.ofSeconds(bootTimeout))
                .command(command == null || command.isEmpty() ? null : command);
        if (isolation != null) {
            b.isolation(Isolation.parse(isolation));
        }
        if (restart != null) {
            b.restart(io.krunbox.runtime.model.RestartPolicy.parse(restart));
        }
        if (healthCmd != null) {
            b.health(io.krunbox.runtime.model.HealthCheck.shell(healthCmd).withTiming(
                    io.krunbox.runtime.model.Durations.parse(healthInterval),
                    io.krunbox.runtime.model.Durations.parse(healthTimeout),
                    io.krunbox.runtime.model.Durations.parse(healthStartPeriod), healthRetries));
        }
        if (memory != null) {
            b.memoryMib(ByteSize.parseMib(memory));
        }
        if (entrypoint != null) {
            b.entrypoint(entrypoint.isEmpty() ? List.of() : List.of(entrypoint));
        }
        for (String e : env) {
            if (e.contains("=")) {
                b.env(e);
            } else if (System.getenv(e) != null) {
                b.env(e + "=" + System.getenv(e));
            }
        }
        return b.build();
    }
}
