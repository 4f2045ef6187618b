package io.krunbox.runtime.launch;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.base.NoSuchBoxException;
import io.krunbox.runtime.exec.SocketLinks;
import io.krunbox.runtime.guest.ExitRecord;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.isolation.BoxProcess;
import io.krunbox.runtime.isolation.sandbox.SandboxLauncher;
import io.krunbox.runtime.isolation.vm.KrunCalls;
import io.krunbox.runtime.isolation.vm.KvmHost;
import io.krunbox.runtime.isolation.vm.LibkrunShimEngine;
import io.krunbox.runtime.isolation.vm.VmLauncher;
import io.krunbox.runtime.logs.LogWriter;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.StopPolicy;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import io.krunbox.runtime.security.BoxPrivileges;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.wiring.BoxWiring;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The process that owns one detached box ({@code run -d}, {@code start}): started with
 * {@code setsid}, so it outlives the command that made it. It mounts the rootfs, launches
 * the box, records the pids (with start times), waits, records the exit code and reason,
 * and unmounts. SIGTERM to it stops the box first.
 */
public final class BoxSupervisor {
    private BoxSupervisor() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BoxSupervisor KRUNBOX_HOME BOX_ID");
            System.exit(125);
        }
        System.exit(supervise(new KrunboxHome(Path.of(args[0])), args[1]));
    }

    static int supervise(KrunboxHome home, String id) {
        try (Images images = Images.open(home, Set.of())) {
            BoxStore store = new BoxStore(images.db());
            BoxRecord b = store.find(id).orElseThrow(() -> new NoSuchBoxException(id));
            store.supervisor(id, ProcessHandle.current());
            try {
                return run(home, store, b);
            } catch (Exception e) {
                store.finish(id, BoxStatus.FAILED, null, e.getMessage());
                RootfsPreparer.release(home.box(id));
                System.err.println("krunbox-supervisor: box " + b.name() + ": " + e.getMessage());
                return 125;
            }
        }
    }

    private static int run(KrunboxHome home, BoxStore store, BoxRecord b) throws Exception {
        BoxSpec spec = b.spec();
        BoxLaunch l = BoxLaunch.open(home, store, b);
        Isolation isolation = l.isolation;
        LogWriter log = isolation == Isolation.SANDBOX
                ? new LogWriter(l.console, spec.log()) : null;
        int restarts = 0;
        io.krunbox.runtime.rootfs.RootfsLock ending = null;
        try {
            for (;;) {
                BoxLaunch.Wired w = l.wire();
                spec = w.spec();
                BoxProcess process = launch(b, spec, isolation, l.boxDir, l.merged, l.console, l.execSocket, log,
                        w.nics(), w.mounts(), l.wiring.networks().net().enter());
                store.running(b.id(), ProcessHandle.current(), process.initHandle().orElse(null));
                l.hosts.refresh(w.nics().stream().map(io.krunbox.runtime.guest.GuestNic::network).toList());
                int status;
                CountDownLatch done = new CountDownLatch(1);
                Thread stopper = stopper(process, done, spec.stop());
                Runtime.getRuntime().addShutdownHook(stopper);
                try (HealthMonitor health = spec.health() == null ? null
                        : new HealthMonitor(store, b.id(), spec.health(), l.execSocket, io.krunbox.runtime.exec.ExecRequest
                                .asBox(w.config(), spec.health().test(), List.of(), null, null, false))) {
                    status = process.waitFor();
                } finally {
                    done.countDown();
                    try {
                        Runtime.getRuntime().removeShutdownHook(stopper);
                    } catch (IllegalStateException shuttingDown) {
                        // the stopper runs: this box is not restarted
                        restarts = Integer.MAX_VALUE;
                    }
                }
                java.util.Optional<ExitRecord> exit = ExitRecord.readAfterEnd(l.control);
                int code = exit.map(ExitRecord::code).orElse(isolation == Isolation.SANDBOX ? status : 125);
                boolean stopped = restarts == Integer.MAX_VALUE
                        || store.find(b.id()).map(BoxStore.BoxRecord::stopRequested).orElse(true);
                if (spec.restart().restarts(code, restarts, stopped)) {
                    restarts++;
                    store.restarting(b.id(), code, restarts);
                    Thread.sleep(spec.restart().backoff(restarts).toMillis());
                    if (!store.find(b.id()).map(BoxStore.BoxRecord::stopRequested).orElse(true)) {
                        l.clearLastRun();
                        continue;
                    }
                }
                // recorded ended and taken down as one: a start of the box waits for both
                ending = io.krunbox.runtime.rootfs.RootfsLock.take(l.boxDir);
                store.finish(b.id(), BoxStatus.EXITED, code, exit.map(ExitRecord::reason)
                        .orElse("the box ended without an exit record (supervisor status " + status + ")"));
                return code;
            }
        } finally {
            try {
                if (log != null) {
                    log.close();
                }
                l.tearDown(spec);
            } finally {
                if (ending != null) {
                    ending.close();
                }
            }
        }
    }

    private static BoxProcess launch(BoxRecord b, BoxSpec spec, Isolation isolation, Path boxDir, Path merged,
                                     Path console, Path execSocket, LogWriter log,
                                     List<io.krunbox.runtime.guest.GuestNic> nics,
                                     List<io.krunbox.runtime.guest.GuestMount> mounts, List<String> enter) throws Exception {
        if (isolation == Isolation.SANDBOX) {
            BoxPrivileges privileges = BoxPrivileges.of(spec.security());
            List<Path> cgroups = io.krunbox.runtime.limits.BoxCgroup.available()
                    ? new io.krunbox.runtime.limits.BoxCgroup(b.id()).create(spec.memoryMib(), spec.pidsLimit(), spec.cpus(),
                    privileges.deviceRules()) : List.of();
            return new SandboxLauncher().start(merged, boxDir, new BoxOutput(log.stdout(), log.stderr()), cgroups,
                    nics.isEmpty() ? null : BoxWiring.boxNetns(b.shortId()), mounts, privileges);
        }
        VmLauncher vm = new VmLauncher(KvmHost.probe(), new LibkrunShimEngine());
        List<Path> shimGroups = io.krunbox.runtime.limits.BoxCgroup.available()
                ? new io.krunbox.runtime.limits.BoxCgroup(b.id()).create(spec.memoryMib()
                        + io.krunbox.runtime.limits.BoxCgroup.VM_OVERHEAD_MIB, 0, spec.cpus())
                : List.of();
        VmLauncher.VmProcess p = vm.start(KrunCalls.forBox(spec, merged, console, execSocket, nics, mounts), boxDir,
                merged, console, boxDir.resolve("logs/shim.log"), new BoxOutput(OutputStream.nullOutputStream(),
                        OutputStream.nullOutputStream()), enter, shimGroups);
        p.awaitReady(b.name(), spec.bootTimeout(), spec.kernel() != null);
        return p;
    }

    /** SIGTERM to the supervisor stops its box first: the box's stop signal, SIGKILL after its grace period. */
    private static Thread stopper(BoxProcess process, CountDownLatch done, StopPolicy stop) {
        return new Thread(() -> {
            if (process.isAlive()) {
                process.stop(stop.signal());
                try {
                    if (!process.waitFor(stop.grace())) {
                        process.kill();
                    }
                    done.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "krunbox-supervisor-stop");
    }

    /** The supervisor's JVM: it mostly waits, so a small heap and the fast compiler only ({@code KRUNBOX_SUPERVISOR_OPTS} replaces these). */
    public static final List<String> SUPERVISOR_OPTS = List.of("-Xmx48m", "-Xms4m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");

    /**
     * The options of this JVM a supervisor keeps: what configures krunbox ({@code -D}) and the
     * shared class archive with the way it is mapped; tools' agents and debuggers stay behind.
     */
    public static List<String> inherited(List<String> jvmArgs) {
        List<String> kept = new ArrayList<>();
        for (String arg : jvmArgs) {
            if (arg.startsWith("-D") || arg.startsWith("-XX:SharedArchiveFile") || arg.startsWith("-Xshare")
                    || arg.startsWith("-Xlog:cds") || arg.equals("-XX:+IgnoreUnrecognizedVMOptions")
                    || arg.equals("-XX:+UnlockDiagnosticVMOptions") || arg.startsWith("-XX:ArchiveRelocationMode")) {
                kept.add(arg);
            }
        }
        return kept;
    }

    /** Starts the supervisor of a box, detached from this process and its terminal. */
    public static Process spawn(KrunboxHome home, String id) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        cmd.addAll(inherited(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        String opts = System.getenv("KRUNBOX_SUPERVISOR_OPTS");
        cmd.addAll(opts != null && !opts.isBlank() ? List.of(opts.trim().split("\\s+")) : SUPERVISOR_OPTS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BoxSupervisor.class.getName(),
                home.root().toString(), id));
        Path log = home.box(id).resolve("logs/supervisor.log");
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until a freshly spawned supervisor has the box running (or has recorded why not). */
    public static BoxRecord awaitStarted(BoxStore store, String id, Process supervisor, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            BoxRecord b = store.find(id).orElseThrow(() -> new BoxException("box " + id + " vanished while starting"));
            if (!(b.status() == BoxStatus.CREATED)) {
                return b;
            }
            if (!supervisor.isAlive() && supervisor.exitValue() != 0) {
                BoxRecord again = store.find(id).orElseThrow();
                if (!(again.status() == BoxStatus.CREATED)) {
                    return again;
                }
                throw new BoxException("the supervisor of box " + b.name() + " ended at once (status "
                        + supervisor.exitValue() + "); see " + "boxes/" + id + "/logs/supervisor.log");
            }
            Thread.sleep(20);
        }
        throw new BoxException("box " + id.substring(0, 12) + " did not start within " + timeout.toSeconds() + " s");
    }
}
