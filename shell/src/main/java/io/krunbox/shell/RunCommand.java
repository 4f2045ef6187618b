package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.ByteSize;
import io.krunbox.runtime.model.Isolation;
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
public class RunCommand implements Callable<Integer>, TakesCommandLine {
    @Option(names = {"-d", "--detach"}, description = "Run in the background and print the box id.")
    boolean detach;

    @Option(names = {"-i", "--interactive"}, description = "Keep stdin open and pass it to the command.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Run the command on a terminal (with -i: an interactive shell).")
    boolean tty;

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

    @Option(names = "--health-start-interval", paramLabel = "DURATION", description = "How often the check runs in the start period until it first succeeds (default: the interval).")
    String healthStartInterval = "0s";

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:]HOST_PORT:BOX_PORT[/PROTO]",
            description = "Publish a box port on the host, e.g. 127.0.0.1:8080:80 or 8000-8002:80-82/udp.")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, description = "Publish every port the image exposes on a free host port.")
    boolean publishAll;

    @Option(names = {"--network", "--net"}, paramLabel = "NAME|none|tsi",
            description = "Connect to a network (repeatable; default: the krunbox network). none: loopback only; tsi: libkrun's (vm).")
    List<String> networks = new ArrayList<>();

    @Option(names = "--network-alias", paramLabel = "ALIAS", description = "Another name of the box on its first network.")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "IPv4", description = "A static address on the first network.")
    String ip;

    @Option(names = "--dns", paramLabel = "IP", description = "A DNS server for the box (default: the host's).")
    List<String> dns = new ArrayList<>();

    @Option(names = "--add-host", paramLabel = "HOST:IP", description = "An extra line of the box's /etc/hosts.")
    List<String> addHosts = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro]",
            description = "Mount a host path or a named volume (made on first use); DST alone makes an anonymous volume.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "PATH[:OPTIONS]", description = "Mount an empty tmpfs, e.g. /run:size=64m,mode=1777.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "type=...,source=...,target=...",
            description = "Mount with the long syntax: type=bind|volume|tmpfs, source, target, readonly, tmpfs-size, tmpfs-mode.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--read-only", description = "Mount the box's root file system read-only.")
    boolean readOnly;

    @Option(names = "--stop-signal", paramLabel = "SIGNAL",
            description = "Signal that stops the box (default: SIGTERM; SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGKILL).")
    String stopSignal;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", description = "Seconds from the stop signal to SIGKILL (default: 10).")
    Integer stopTimeout;

    @Option(names = "--log-opt", paramLabel = "KEY=VALUE", description = {"The box's log: max-size=SIZE (default 20m) and",
            "max-file=N (default 5) before the oldest goes (repeatable)."})
    List<String> logOpts = new ArrayList<>();

    @Option(names = "--log-driver", paramLabel = "DRIVER", description = "k8s-file, json-file or local (all: krunbox's log file).")
    String logDriver;

    @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]", description = "A resource limit for the box's processes, e.g. nofile=1024:2048 (repeatable).")
    List<String> ulimits = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "A label on the box (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read KEY=VALUE lines (# comments) into the environment.")
    List<String> envFiles = new ArrayList<>();

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Pull from this registry over plain HTTP (127.0.0.1 and localhost always are).")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the plan (every host step and libkrun call) and do nothing.")
    boolean dryRun;

    @Option(names = "--pull", paramLabel = "missing|always|never",
            description = "Pull the image when it is missing (default), always, or never.")
    String pull = "missing";

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "The platform to pull (default: the host's).")
    String platform;

    @Option(names = "--privileged", description = "Give the box every capability, every device, no seccomp filter and a"
            + " writable /sys (with --userns host this is no boundary to the host).")
    boolean privileged;

    @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a capability (NET_ADMIN, SYS_PTRACE, ... or ALL) to Docker's default set.")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop a capability from the default set (or ALL).")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--security-opt", paramLabel = "OPT",
            description = "seccomp=unconfined, seccomp=PROFILE.json (Docker's format) or no-new-privileges[=true|false].")
    List<String> securityOpts = new ArrayList<>();

    @Option(names = "--device", paramLabel = "HOST[:BOX][:rwm]", description = "Give the box a host device (sandbox).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--sysctl", paramLabel = "KEY=VALUE",
            description = "Set a namespaced sysctl in the box (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*).")
    List<String> sysctls = new ArrayList<>();

    @Option(names = "--userns", paramLabel = "host|auto",
            description = "host: the box's root is the host's root, confined (default); auto: an unprivileged host uid range.")
    String userns;

    @Option(names = "--init", description = "Accepted as in Docker: guest-init is always the box's PID 1 (it reaps and forwards signals).")
    boolean init;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to run.")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (default: the image's).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        BoxSpec spec = spec();
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        try (Krunbox krunbox = open()) {
            Images images = krunbox.images();
            BoxRunner runner = krunbox.runner(err);
            BoxOutput output = new BoxOutput(Invocation.current().stdout(),
                    Invocation.current().stderr());
            if (dryRun) {
                runner.printPlan(runner.plan(spec, output), Invocation.current().out());
                return 0;
            }
            PullPolicy.parse(pull).prepare(images, image, platform, err);
            if (detach) {
                Invocation.current().out().println(runner.runDetached(spec));
                return 0;
            }
            if (interactive || tty) {
                return AttachedRun.run(runner, krunbox.boxes(), spec, interactive, tty);
            }
            if (spec.health() != null || spec.restart().mode() != io.krunbox.runtime.model.RestartPolicy.Mode.NO) {
                // restarts and health checks are the supervisor's work: run under one and follow it
                String id = runner.runDetached(spec);
                return krunbox.boxes().attach(krunbox.boxes().get(id), Invocation.current().out(), err);
            }
            return runner.run(spec, output);
        }
    }

    /** Opens the store and hands a runner to {@code work} (for commands that make boxes like run does). */
    <T> T withRunner(java.util.function.Function<BoxRunner, T> work) {
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        try (Krunbox krunbox = open()) {
            PullPolicy.parse(pull).prepare(krunbox.images(), image, platform, err);
            return work.apply(krunbox.runner(err));
        }
    }

    private Krunbox open() {
        return Krunbox.open(KrunboxHome.fromEnvironment(), java.util.Set.copyOf(insecureRegistries));
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
                    io.krunbox.runtime.model.Durations.parse(healthStartPeriod), healthRetries)
                    .withStartInterval(io.krunbox.runtime.model.Durations.parse(healthStartInterval)));
        }
        if (memory != null) {
            b.memoryMib(ByteSize.parseMib(memory));
        }
        if (entrypoint != null) {
            b.entrypoint(entrypoint.isEmpty() ? List.of() : List.of(entrypoint));
        }
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq == 0 || l.isEmpty()) {
                throw new IllegalArgumentException("label \"" + l + "\" is not KEY=VALUE");
            }
            b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        for (String f : envFiles) {
            for (String line : EnvFile.read(Invocation.current().resolve(f))) {
                b.env(line);
            }
        }
        List<String> nets = networks.isEmpty() && (!aliases.isEmpty() || ip != null)
                ? List.of(io.krunbox.runtime.model.NetworkAttachment.DEFAULT) : networks;
        for (int i = 0; i < nets.size(); i++) {
            b.network(i == 0 ? new io.krunbox.runtime.model.NetworkAttachment(nets.get(0), aliases, ip)
                    : io.krunbox.runtime.model.NetworkAttachment.of(nets.get(i)));
        }
        for (String p : publish) {
            b.ports(io.krunbox.runtime.model.PortMapping.parse(p));
        }
        b.publishAll(publishAll).readOnly(readOnly).stopSignal(stopSignal)
                .stopTimeout(stopTimeout == null ? null : Duration.ofSeconds(stopTimeout));
        ulimits.forEach(u -> b.ulimit(io.krunbox.runtime.model.Ulimit.parse(u)));
        if (logDriver != null && !java.util.Set.of("k8s-file", "json-file", "local").contains(logDriver)) {
            throw new IllegalArgumentException("--log-driver " + logDriver + " is not supported: krunbox writes each box's"
                    + " log to its own file (k8s-file, json-file or local)");
        }
        if (!logOpts.isEmpty()) {
            b.log(io.krunbox.runtime.model.LogPolicy.parse(logOpts, io.krunbox.runtime.model.LogPolicy.DEFAULT));
        }
        SecurityFlags.apply(b, privileged, capAdd, capDrop, securityOpts, devices, sysctls, userns);
        dns.forEach(b::dns);
        addHosts.forEach(b::extraHost);
        volumes.forEach(v -> b.mount(io.krunbox.runtime.model.MountSpec.parseVolume(v)));
        tmpfs.forEach(t -> b.mount(io.krunbox.runtime.model.MountSpec.parseTmpfs(t)));
        mounts.forEach(m -> b.mount(io.krunbox.runtime.model.MountSpec.parseMount(m)));
        for (String e : env) {
            if (e.contains("=")) {
                b.env(e);
            } else if (Invocation.current().env(e) != null) {
                b.env(e + "=" + Invocation.current().env(e));
            }
        }
        return b.build();
    }
}
