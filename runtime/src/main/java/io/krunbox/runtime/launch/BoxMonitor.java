package io.krunbox.runtime.launch;

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
 * A detached sandbox box with nothing for a JVM to do while it runs (no health check, restart
 * policy or --rm; published ports are kernel rules) is watched by {@code krunbox-monitor}, a small C program, as
 * Podman's boxes are by conmon: the command that starts the box sets it up in its own process
 * and leaves the monitor behind. The monitor writes the box's log and, when the box ends, its
 * status to {@link #EXIT_FILE}; the next krunbox command records the end and takes the box's
 * resources down ({@link Boxes#reconcile}). {@code KRUNBOX_MONITOR=0} keeps the supervisor JVM.
 */
public final class BoxMonitor {
    static final String RESOURCE = "/io/krunbox/guestinit/krunbox-monitor";
    /** The box's status as the monitor saw it end, in the box's directory. */
    static final String EXIT_FILE = "monitor.exit";

    private BoxMonitor() {}

    /** Whether the monitor can be this box's supervisor. */
    public static boolean suits(BoxSpec spec, Isolation isolation) {
        return isolation == Isolation.SANDBOX && spec.health() == null
                && spec.restart().mode() == RestartPolicy.Mode.NO && (!spec.remove() || self().isPresent())
                && !"0".equals(System.getenv("KRUNBOX_MONITOR"))
                && BoxMonitor.class.getResource(RESOURCE) != null;
    }

    /** Sets the box up here, starts it under a detached monitor, and records it running. */
    public static BoxRecord start(KrunboxHome home, BoxStore store, BoxRecord b) {
        BoxLaunch l = null;
        BoxSpec spec = null;
        ProcessHandle monitor = null;
        try {
            l = BoxLaunch.open(home, store, b);
            BoxLaunch.Wired w = l.wire();
            spec = w.spec();
            BoxPrivileges privileges = BoxPrivileges.of(spec.security());
            List<Path> cgroups = BoxCgroup.available()
                    ? new BoxCgroup(b.id()).create(spec.memoryMib(), spec.pidsLimit(), spec.cpus(),
                    privileges.deviceRules()) : List.of();
            Path sockets = SandboxLauncher.socketDir(l.boxDir);
            Path info = SandboxLauncher.freshInfo(l.boxDir);
            Path log = l.boxDir.resolve("logs/supervisor.log");
            List<String> cmd = new ArrayList<>(List.of(binary(home).toString(), "-l", l.console.toString(),
                    "-o", log.toString(),
                    "-i", info.toString(), "-e", l.boxDir.resolve(EXIT_FILE).toString(),
                    "-s", Integer.toString(spec.stop().number()), "-g", Long.toString(spec.stop().grace().toMillis()),
                    "-m", Long.toString(spec.log().maxBytes()), "-n", Integer.toString(spec.log().maxFiles())));
            for (Path g : cgroups) {
                cmd.addAll(List.of("-c", g.resolve("cgroup.procs").toString()));
            }
            if (spec.remove()) {
                // --rm: when the box ends, the monitor becomes `krunbox ps -aq`, which records the end and removes it
                List<String> after = new ArrayList<>(self().orElseThrow());
                after.addAll(List.of("ps", "-a", "-q"));
                Path argv = l.boxDir.resolve("monitor.after");
                Files.writeString(argv, String.join("\0", after) + "\0");
                cmd.addAll(List.of("-x", argv.toString()));
            }
            cmd.add("--");
            cmd.addAll(SandboxLauncher.command(l.merged, l.control, sockets,
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
            Path console = l.console;
            long initPid = awaitInit(info, monitor).orElseThrow(() -> new BoxException("the box did not start: "
                    + lastLines(console, log)));
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
            store.finish(b.id(), BoxStatus.FAILED, null, e.getMessage());
            if (l != null) {
                try {
                    l.tearDown(spec);
                } catch (IOException | RuntimeException again) {
                    System.err.println("krunbox: box " + b.name() + ": " + again.getMessage());
                }
            }
            return store.find(b.id()).orElseThrow();
        }
    }

    /**
     * The command that runs krunbox itself as this process was started (the CLI sets
     * {@code krunbox.self}: its java, JVM options, class path and main class, NUL-separated); empty
     * in a JVM that is not the CLI (a test, a script), where a --rm box keeps its supervisor JVM.
     */
    static java.util.Optional<List<String>> self() {
        String s = System.getProperty("krunbox.self");
        if (s == null || s.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(List.of(s.split("\0")));
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
                    return lines.get(lines.size() - 1).replaceFirst("^\\S+ std(out|err) ", "");
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
