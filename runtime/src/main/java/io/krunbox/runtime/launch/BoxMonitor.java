package io.krunbox.runtime.launch;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.isolation.sandbox.SandboxLauncher;
import io.krunbox.runtime.limits.BoxCgroup;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.RestartPolicy;
import io.krunbox.runtime.security.BoxPrivileges;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.state.ProcessTruth;
import io.krunbox.runtime.wiring.BoxWiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A detached sandbox box is watched by {@code krunbox-monitor}, a small C program, as Podman's
 * boxes are by conmon: the command that starts the box sets it up in its own process and leaves
 * the monitor behind. The monitor writes the box's log (rotated), runs its health check through
 * guest-init's exec protocol and writes the health to {@link BoxHealth#FILE}, and, when the box
 * ends, writes its status to {@link #EXIT_FILE}; the next krunbox command records the end and
 * takes the box's resources down ({@link Boxes#reconcile}). For a box with a restart policy or
 * --rm the monitor runs that command itself as it exits: it removes the box, or sets it up again
 * and starts it under a new monitor after the policy's backoff ({@link #restart}).
 * {@code KRUNBOX_MONITOR=0} keeps the supervisor JVM.
 */
public final class BoxMonitor {
    static final String RESOURCE = "/io/krunbox/guestinit/krunbox-monitor";
    /** The box's status as the monitor saw it end, in the box's directory. */
    static final String EXIT_FILE = "monitor.exit";
    /** Written by the command that ends a box (stop, rm -f): that command records the end, the monitor need not. */
    public static final String STOPPING_FILE = "monitor.stopping";

    private BoxMonitor() {}

    /** Whether the monitor can be this box's supervisor. */
    public static boolean suits(BoxSpec spec, Isolation isolation) {
        boolean after = spec.remove() || spec.restart().mode() != RestartPolicy.Mode.NO;
        return (isolation == Isolation.SANDBOX || isolation == Isolation.VM) && (!after || self().isPresent())
                && !"0".equals(Invocation.current().env("KRUNBOX_MONITOR"))
                && BoxMonitor.class.getResource(RESOURCE) != null;
    }

    /** Sets the box up here, starts it under a detached monitor, and records it running. */
    public static BoxRecord start(KrunboxHome home, BoxStore store, BoxRecord b) {
        return start(home, store, b, Duration.ZERO);
    }

    /**
     * Sets a box that ended and is to restart up again, exactly as its first start did, under a new
     * monitor that starts it after {@code backoff}: the box stays {@code restarting} until then
     * (a stop meanwhile ends the monitor, and the box is not started), and the command that next
     * looks records it running ({@link #runningAgain}).
     */
    public static BoxRecord restart(KrunboxHome home, BoxStore store, BoxRecord b, Duration backoff) {
        return start(home, store, b, backoff.isZero() ? Duration.ofMillis(1) : backoff);
    }

    /**
     * A restarting box whose new monitor has started its process is recorded running; true if it
     * was. Several commands may look at once: one records it.
     */
    public static boolean runningAgain(BoxStore store, BoxRecord b, Path boxDir) {
        OptionalLong init = SandboxLauncher.childPid(boxDir.resolve("sandbox.info"));
        Optional<ProcessHandle> h = init.isPresent() ? ProcessHandle.of(init.getAsLong()) : Optional.empty();
        return h.isPresent() && b.supervisorPid() != null
                && store.restarted(b.id(), b.supervisorPid(), b.supervisorStart(), h.get());
    }

    private static BoxRecord start(KrunboxHome home, BoxStore store, BoxRecord b, Duration delay) {
        BoxLaunch l = null;
        BoxSpec spec = null;
        ProcessHandle monitor = null;
        try {
            l = BoxLaunch.open(home, store, b);
            BoxLaunch.Wired w = l.wire();
            spec = w.spec();
            BoxPrivileges privileges = BoxPrivileges.of(spec.security());
            boolean vm = l.isolation == Isolation.VM;
            List<Path> cgroups = !BoxCgroup.available() ? List.of() : vm
                    ? new BoxCgroup(b.id()).create(spec.memoryMib() + BoxCgroup.VM_OVERHEAD_MIB, 0, spec.cpus())
                    : new BoxCgroup(b.id()).create(spec.memoryMib(), spec.pidsLimit(), spec.cpus(), privileges.deviceRules());
            Path sockets = SandboxLauncher.socketDir(l.boxDir);
            Path info = SandboxLauncher.freshInfo(l.boxDir);
            Path log = l.boxDir.resolve("logs/supervisor.log");
            // a VM writes its console itself; the monitor keeps the shim's own output
            Path shimLog = l.boxDir.resolve("logs/shim.log");
            List<String> cmd = new ArrayList<>(List.of(binary(home).toString(), "-l", (vm ? shimLog : l.console).toString(),
                    "-o", log.toString(),
                    "-i", info.toString(), "-e", l.boxDir.resolve(EXIT_FILE).toString(),
                    "-s", Integer.toString(spec.stop().number()), "-g", Long.toString(spec.stop().grace().toMillis()),
                    "-m", Long.toString(spec.log().maxBytes()), "-n", Integer.toString(spec.log().maxFiles())));
            for (Path g : cgroups) {
                cmd.addAll(List.of("-c", g.resolve("cgroup.procs").toString()));
            }
            if (!delay.isZero()) {
                cmd.addAll(List.of("-d", Long.toString(delay.toMillis())));
            }
            if (spec.health() != null) {
                io.krunbox.runtime.model.HealthCheck h = spec.health();
                Path request = l.boxDir.resolve("health.request");
                Files.writeString(request, io.krunbox.runtime.exec.ExecRequest.asBox(w.config(), h.test(), List.of(),
                        null, null, false).toJson());
                Files.deleteIfExists(l.boxDir.resolve(BoxHealth.FILE));
                cmd.addAll(List.of("-H", request.toString(), "-S", l.execSocket.toString(),
                        "-W", l.boxDir.resolve(BoxHealth.FILE).toString(),
                        "-I", Long.toString(h.interval().toMillis()), "-T", Long.toString(h.timeout().toMillis()),
                        "-P", Long.toString(h.startPeriod().toMillis()), "-Q", Long.toString(h.startInterval().toMillis()),
                        "-R", Integer.toString(h.retries())));
            }
            if (spec.remove() || spec.restart().mode() != RestartPolicy.Mode.NO) {
                // --rm or a restart policy: when the box ends, the monitor becomes `krunbox ps -aq`, which records
                // the end and removes the box or starts it again
                // (a box restarted by a JVM that is not the CLI has none: the next command does it)
                Optional<List<String>> self = self();
                if (self.isPresent()) {
                    // this home and host namespace, however this process was given them
                    List<String> after = new ArrayList<>(List.of("/usr/bin/env", "KRUNBOX_HOME=" + home.root()));
                    String netns = System.getProperty("krunbox.netns", Invocation.current().env("KRUNBOX_NETNS"));
                    if (netns != null && !netns.isBlank()) {
                        after.add("KRUNBOX_NETNS=" + netns);
                    }
                    after.addAll(self.get());
                    after.addAll(List.of("ps", "-a", "-q"));
                    Path argv = l.boxDir.resolve("monitor.after");
                    Files.writeString(argv, String.join("\0", after) + "\0");
                    cmd.addAll(List.of("-x", argv.toString(), "-r", l.boxDir.resolve(STOPPING_FILE).toString()));
                }
            }
            if (vm) {
                cmd.add("-j");
            }
            cmd.add("--");
            cmd.addAll(vm ? vmCommand(l, w, spec) : SandboxLauncher.command(l.merged, l.control, sockets,
                    w.nics().isEmpty() ? null : BoxWiring.boxNetns(b.shortId()),
                    SandboxLauncher.resolveTargets(l.merged, w.mounts()), privileges));
            // the process started here forks the watcher, prints its pid and exits at once
            Process starter = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            String pid = new String(starter.getInputStream().readNBytes(32), java.nio.charset.StandardCharsets.UTF_8).trim();
            starter.waitFor();
            if (!pid.matches("[0-9]+")) {
                throw new BoxException("krunbox-monitor did not start (see " + log + ")");
            }
            long monitorPid = Long.parseLong(pid);
            monitor = ProcessHandle.of(monitorPid).orElse(null);
            if (!delay.isZero()) {
                // restarting until the monitor has started it again; a monitor already gone reads as ended
                store.supervisor(b.id(), monitorPid, monitor != null ? ProcessTruth.startOf(monitor) : "ended");
                return store.find(b.id()).orElseThrow();
            }
            Path console = l.console;
            long initPid = awaitInit(info, monitor).orElseThrow(() -> new BoxException("the box did not start: "
                    + lastLines(vm ? shimLog : console, log)));
            if (vm) {
                ProcessHandle m = monitor;
                ProcessHandle shim = ProcessHandle.of(initPid).orElse(null);
                io.krunbox.runtime.isolation.vm.VmBootWatch.await(io.krunbox.runtime.isolation.vm.KvmHost.probe(), b.name(),
                        l.boxDir, console, shimLog, spec.bootTimeout(), spec.kernel() != null,
                        () -> m != null && m.isAlive(), () -> {
                            if (shim != null) {
                                shim.destroyForcibly();
                            }
                        });
            }
            // a box that has already ended (run -d ... true) is recorded running; its end is the next command's
            store.running(b.id(), monitorPid, monitor != null ? ProcessTruth.startOf(monitor) : "ended",
                    ProcessHandle.of(initPid).orElse(null));
            l.hosts.refresh(w.nics().stream().map(io.krunbox.runtime.guest.GuestNic::network).toList());
            return store.find(b.id()).orElseThrow();
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (monitor != null) {
                monitor.destroyForcibly(); // a box that did not come up in time does not stay behind
            }
            // recorded ended and taken down as one: a start of the box waits for both
            try (io.krunbox.runtime.rootfs.RootfsLock held = io.krunbox.runtime.rootfs.RootfsLock.take(home.box(b.id()))) {
                store.finish(b.id(), BoxStatus.FAILED, null, e.getMessage());
                if (l != null) {
                    try {
                        l.tearDown(spec);
                    } catch (IOException | RuntimeException again) {
                        Invocation.current().err().println("krunbox: box " + b.name() + ": " + again.getMessage());
                    }
                }
            }
            return store.find(b.id()).orElseThrow();
        }
    }

    /** The VM's jailed shim, started by the monitor (which joins the box's cgroups first). */
    private static List<String> vmCommand(BoxLaunch l, BoxLaunch.Wired w, BoxSpec spec) throws IOException {
        // made anew, never opened where it is: the VMM can write logs/, and a link it left there is removed, not followed
        Files.deleteIfExists(l.console);
        Files.write(l.console, new byte[0], java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        List<String> cmd = new io.krunbox.runtime.isolation.vm.LibkrunShimEngine().command(
                io.krunbox.runtime.isolation.vm.KrunCalls.forBox(spec, l.merged, l.console, l.execSocket, w.nics(), w.mounts()),
                l.boxDir, l.wiring.networks().net().enter());
        if (cmd == null) {
            throw new BoxException("this VM engine cannot run under krunbox-monitor");
        }
        return cmd;
    }

    /**
     * The command that runs krunbox itself as this process was started (the CLI sets
     * {@code krunbox.self}: its java, JVM options, class path and main class, NUL-separated); in a
     * JVM that is not the CLI (a test, a script) the {@code krunbox} on PATH; empty without either,
     * where a --rm box or one with a restart policy keeps its supervisor JVM.
     */
    static java.util.Optional<List<String>> self() {
        String s = System.getProperty("krunbox.self");
        if (s != null && !s.isEmpty()) {
            return java.util.Optional.of(List.of(s.split("\0")));
        }
        String path = Invocation.current().env("PATH");
        for (String dir : path == null ? new String[0] : path.split(":")) {
            Path k = Path.of(dir.isEmpty() ? "." : dir, "krunbox");
            if (!dir.isEmpty() && Files.isRegularFile(k) && Files.isExecutable(k)) {
                return java.util.Optional.of(List.of(k.toAbsolutePath().toString()));
            }
        }
        return java.util.Optional.empty();
    }

    /** guest-init's host pid, as bwrap reports it through the monitor's INFO file (it may have ended since). */
    private static OptionalLong awaitInit(Path info, ProcessHandle monitor) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong pid = SandboxLauncher.childPid(info);
            if (pid.isPresent()) {
                return pid;
            }
            if ((monitor == null || !monitor.isAlive()) && !Files.exists(info)) {
                return OptionalLong.empty();
            }
            if ((monitor == null || !monitor.isAlive()) && deadline - System.nanoTime() > Duration.ofMillis(100).toNanos()) {
                deadline = System.nanoTime() + Duration.ofMillis(100).toNanos(); // the last of INFO, if any, is written
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    private static String lastLines(Path console, Path supervisorLog) {
        for (Path p : List.of(console, supervisorLog)) {
            try {
                List<String> lines = Files.readAllLines(p);
                if (!lines.isEmpty()) {
                    return io.krunbox.runtime.logs.LogReader.text(lines.get(lines.size() - 1));
                }
            } catch (IOException missing) {
                // try the next one
            }
        }
        return "no output (see " + supervisorLog + ")";
    }

    /** The box's status as the monitor recorded it, when it ended normally. */
    public static Optional<Integer> exitStatus(Path boxDir) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(boxDir.resolve(EXIT_FILE)).trim()));
        } catch (IOException | NumberFormatException none) {
            return Optional.empty();
        }
    }

    /** The monitor binary, copied once per build into the home ({@code bin/krunbox-monitor-<hash>}). */
    private static Path binary(KrunboxHome home) throws IOException {
        return io.krunbox.runtime.guest.HelperBinary.extract("krunbox-monitor", home.root());
    }
}
