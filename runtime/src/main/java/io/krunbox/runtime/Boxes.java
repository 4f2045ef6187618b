package io.krunbox.runtime;

import io.krunbox.runtime.rootfs.RootfsLock;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.layer.LayerUnpacker;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.BoxNotRunningException;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.base.NoSuchBoxException;
import io.krunbox.runtime.guest.ExitRecord;
import io.krunbox.runtime.launch.BoxMonitor;
import io.krunbox.runtime.model.StopPolicy;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import io.krunbox.runtime.state.BoxLookup;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.state.ProcessTruth;
import io.krunbox.runtime.state.RemovedBoxes;
import io.krunbox.runtime.wiring.BoxHosts;
import io.krunbox.runtime.wiring.BoxWiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The boxes of one home, as commands see them. Every call first makes state.db tell the
 * truth: a box whose supervisor is gone is recorded as exited with the reason, and its
 * mounts are released.
 */
public final class Boxes implements BoxLookup {
    private final KrunboxHome home;
    private final BoxStore store;

    public Boxes(KrunboxHome home, BoxStore store) {
        this.home = home;
        this.store = store;
    }

    public BoxStore store() {
        return store;
    }

    private BoxWiring wiring;
    private io.krunbox.runtime.network.NetworkStore leases;

    private synchronized io.krunbox.runtime.network.NetworkStore leases() {
        if (leases == null) {
            leases = wiring != null ? wiring.networks().store() : new io.krunbox.runtime.network.NetworkStore(store.db());
        }
        return leases;
    }

    /** Networks and volumes of this home (made on first use: host networking is not touched before). */
    public synchronized BoxWiring wiring() {
        if (wiring == null) {
            wiring = BoxWiring.open(home, store.db(), store);
        }
        return wiring;
    }

    /** What the box's processes may do, as its spec and its --userns auto range say. */
    public io.krunbox.runtime.security.BoxPrivileges privileges(BoxRecord b) {
        io.krunbox.runtime.security.BoxPrivileges p = io.krunbox.runtime.security.BoxPrivileges.of(
                b.spec().security());
        return p.usernsAuto() ? p.withUsernsBase(new io.krunbox.runtime.state.UsernsRanges(store.db()).find(b.id()).orElse(-1))
                : p;
    }

    public BoxHosts hosts() {
        return new BoxHosts(home, store, wiring().networks().store());
    }

    public Path dir(BoxRecord b) {
        return home.box(b.id());
    }

    public Path log(BoxRecord b) {
        return dir(b).resolve("logs/console.log");
    }

    /** Runs a command in a running box over guest-init's exec protocol. */
    public io.krunbox.runtime.exec.ExecSession exec(BoxRecord b, io.krunbox.runtime.exec.ExecRequest request)
            throws IOException {
        if (!(b.status() == BoxStatus.RUNNING)) {
            throw new BoxNotRunningException(b.name(), b.status().word());
        }
        Path socket = io.krunbox.runtime.exec.SocketLinks.forThisUser().of(b.shortId()).resolve("exec.sock");
        // a box just started (start, restart) may not listen yet: its init still sets it up
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (;;) {
            try {
                return io.krunbox.runtime.exec.ExecSession.open(socket, request);
            } catch (IOException e) {
                // refused (its socket is from the last run), or not there yet
                boolean notYet = e.getCause() instanceof java.net.ConnectException
                        || e.getCause() instanceof java.net.SocketException && !Files.exists(socket);
                if (!notYet || System.nanoTime() > deadline || ProcessTruth.live(b.initPid(), b.initStart()).isEmpty()) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for box " + b.name() + " to listen");
            }
        }
    }

    /**
     * Runs the box's health check once now ({@code healthcheck run}), as its supervisor would,
     * and records the result: healthy at once, unhealthy once the failures in a row reach its retries.
     */
    public boolean healthcheck(BoxRecord b) throws IOException {
        io.krunbox.runtime.model.HealthCheck check = b.spec() == null ? null : b.spec().health();
        if (check == null) {
            throw new BoxException("box " + b.name() + " has no health check: give it one with --health-cmd");
        }
        if (b.status() != BoxStatus.RUNNING) {
            throw new BoxNotRunningException(b.name(), b.status().word());
        }
        Optional<io.krunbox.runtime.launch.BoxHealth> watched = io.krunbox.runtime.launch.BoxHealth.read(dir(b));
        Optional<ProcessHandle> monitor = ProcessTruth.live(b.supervisorPid(), b.supervisorStart());
        if (watched.isPresent() && monitor.isPresent()) {
            // its monitor runs the check (SIGUSR1) and records it, as it does every interval
            java.time.Instant before = watched.get().lastEnd();
            io.krunbox.runtime.isolation.BoxProcess.signal(monitor.get(), "USR1");
            long deadline = System.nanoTime() + check.timeout().plusSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                Optional<io.krunbox.runtime.launch.BoxHealth> now = io.krunbox.runtime.launch.BoxHealth.read(dir(b));
                if (now.isPresent() && now.get().lastEnd() != null && !now.get().lastEnd().equals(before)) {
                    store.health(b.id(), now.get().status(), now.get().failingStreak());
                    return now.get().log().get(now.get().log().size() - 1).exitCode() == 0;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new BoxException("the monitor of box " + b.name() + " did not run its health check: is the box ending?");
        }
        io.krunbox.runtime.exec.ExecRequest request = io.krunbox.runtime.exec.ExecRequest.asBox(config(b), check.test(),
                List.of(), null, null, false);
        boolean ok = io.krunbox.runtime.launch.HealthMonitor.probe(check,
                io.krunbox.runtime.exec.SocketLinks.forThisUser().of(b.shortId()).resolve("exec.sock"), request);
        int streak = ok ? 0 : b.failingStreak() + 1;
        String status = ok ? "healthy" : streak >= check.retries() ? "unhealthy"
                : b.health() == null ? "starting" : b.health();
        store.health(b.id(), status, streak);
        return ok;
    }

    /** The box's config.json as the host wrote it: the defaults of an exec. */
    public Path config(BoxRecord b) {
        return io.krunbox.runtime.guest.BoxControl.of(dir(b)).config();
    }

    /** Work on a box's root file system; a stopped box's is mounted for the time of it. */
    public interface RootfsWork<T> {
        T run(Path root) throws IOException;
    }

    public <T> T withRootfs(BoxRecord b, RootfsWork<T> work) throws IOException {
        Path merged = RootfsPreparer.merged(dir(b));
        if (RootfsPreparer.isMountPoint(merged) || !Files.isDirectory(dir(b).resolve("upper"))) {
            return work.run(merged);
        }
        // a start of the box meanwhile waits: its mount is not the one released here
        try (RootfsLock held = RootfsLock.take(dir(b))) {
            if (RootfsPreparer.isMountPoint(merged)) {
                return work.run(merged); // started (or mounted by another) while this waited
            }
            RootfsPreparer.remount(dir(b), b.lowerDirs(home));
            try {
                return work.run(merged);
            } finally {
                if (!store.find(b.id()).map(r -> r.status().active()).orElse(false)) {
                    RootfsPreparer.release(dir(b));
                }
            }
        }
    }

    /**
     * As {@link #withRootfs}, with a running box frozen for the time of the work: what the host
     * walks in its root (commit, diff, snapshot) cannot be swapped for a link or a fifo meanwhile.
     */
    public <T> T withFrozenRootfs(BoxRecord b, RootfsWork<T> work) throws IOException {
        BoxRecord now = get(b.id());
        if (!now.status().active()) {
            return withRootfs(now, work);
        }
        io.krunbox.runtime.limits.BoxCgroup cg = new io.krunbox.runtime.limits.BoxCgroup(now.id());
        if (!cg.freeze()) {
            throw new BoxException("box " + now.name() + " runs without a freezer cgroup (it was started by an older"
                    + " krunbox, or the host has none): stop it first, then try again");
        }
        try {
            return withRootfs(now, work);
        } finally {
            cg.thaw();
        }
    }

    /** Follows a box's output until it ends ({@code start -a}); returns its exit code. */
    public int attach(BoxRecord b, java.io.PrintStream out, java.io.PrintStream err)
            throws IOException, InterruptedException {
        io.krunbox.runtime.logs.LogReader.print(log(b), new io.krunbox.runtime.logs.LogReader.Options(false, null, null,
                -1, true), out, err, () -> get(b.id()).status().active());
        return await(b);
    }

    /** Marks boxes whose supervisor died as exited (with the reason) and releases their mounts. */
    public void reconcile() {
        io.krunbox.runtime.exec.SocketLinks.forThisUser().sweep();
        List<BoxRecord> all = store.all();
        java.util.Set<String> ids = new java.util.HashSet<>();
        all.forEach(b -> ids.add(b.id()));
        // a lease whose box is gone (a crash between the two) is freed; no host networking is needed for that
        for (io.krunbox.runtime.network.NetworkStore.Lease l : leases().allLeases()) {
            if (!ids.contains(l.boxId())) {
                leases().release(l.boxId(), null);
            }
        }
        for (BoxRecord b : all) {
            boolean active = b.status().active();
            if (active && ProcessTruth.live(b.supervisorPid(), b.supervisorStart()).isPresent()) {
                watched(b);
                continue;
            }
            if (active) {
                Optional<ExitRecord> exit = ExitRecord.readFrom(io.krunbox.runtime.guest.BoxControl.of(dir(b)));
                // the box cannot outlive its supervisor (--die-with-parent); make sure of it
                ProcessTruth.live(b.initPid(), b.initStart()).ifPresent(ProcessHandle::destroyForcibly);
                // krunbox-monitor saw the box end and left its recording to the next command; without its
                // status the supervisor died first
                Optional<Integer> monitored = BoxMonitor.exitStatus(dir(b));
                int code = exit.map(ExitRecord::code).orElse(monitored.orElse(137));
                String reason = monitored.isPresent()
                        ? exit.map(ExitRecord::reason).orElse("the box ended with status " + monitored.get())
                        : "its supervisor (pid " + b.supervisorPid() + ") ended without recording the box's end"
                                + exit.map(e -> "; the workload had " + e.reason()).orElse("");
                // several commands (or threads) may look at once: the one that records it takes the box down
                boolean restart = monitored.isPresent() && b.spec() != null
                        && b.spec().restart().restarts(code, b.restartCount(), b.stopRequested())
                        && BoxMonitor.suits(b.spec(), io.krunbox.runtime.model.Isolation.parse(b.isolation()));
                // and a start of the same box waits until it is down
                try (RootfsLock held = RootfsLock.take(dir(b))) {
                    if (restart ? !store.restartIfStillActive(b.id(), b.supervisorPid(), code, b.restartCount() + 1)
                            : !store.finishIfStillActive(b.id(), b.supervisorPid(), code, reason)) {
                        continue;
                    }
                    new io.krunbox.runtime.limits.BoxCgroup(b.id()).remove();
                    try {
                        wiring().down(b.id(), b.shortId(), io.krunbox.runtime.model.Isolation.parse(b.isolation()),
                                BoxWiring.publishes(b));
                    } catch (BoxException e) {
                        Invocation.current().err().println("krunbox: could not take down the links of box " + b.name() + ": " + e.getMessage());
                    }
                    try {
                        RootfsPreparer.release(dir(b));
                    } catch (BoxException e) {
                        // reported again by whoever next needs the directory
                    }
                    if (restart) {
                        // set up again exactly as its first start did, and started after the policy's backoff
                        BoxMonitor.restart(home, store, store.find(b.id()).orElseThrow(),
                                b.spec().restart().backoff(b.restartCount() + 1));
                    } else if (b.spec() != null && b.spec().remove()) {
                        removeEnded(b.id()); // --rm: its exit code and log stay for `logs` and `wait`
                    }
                }
            }
        }
        TestSessions.reapStale(home, this);
    }

    /**
     * A box its monitor watches: a restarted one it has started again is recorded running, and the
     * health the monitor wrote is taken into state.db (where ps, --wait and depends_on read it).
     */
    private void watched(BoxRecord b) {
        if (b.status() == BoxStatus.RESTARTING) {
            BoxMonitor.runningAgain(store, b, dir(b));
            return;
        }
        if (b.status() == BoxStatus.RUNNING && b.spec() != null && b.spec().health() != null) {
            io.krunbox.runtime.launch.BoxHealth.read(dir(b)).ifPresent(h -> {
                if (!h.status().equals(b.health()) || h.failingStreak() != b.failingStreak()) {
                    store.health(b.id(), h.status(), h.failingStreak());
                }
            });
        }
    }

    @Override
    public List<BoxRecord> list(boolean all) {
        reconcile();
        List<BoxRecord> out = new ArrayList<>();
        for (BoxRecord b : store.all()) {
            if (all || b.status().active()) {
                out.add(b);
            }
        }
        return out;
    }

    @Override
    public BoxRecord get(String idOrName) {
        reconcile();
        return store.find(idOrName).orElseThrow(() -> new NoSuchBoxException(idOrName));
    }

    /** A --rm box that has ended goes, as its supervisor would take it: anonymous volumes too; its record is kept. */
    private void removeEnded(String id) {
        store.find(id).ifPresent(r -> {
            RemovedBoxes.keep(home, r);
            try {
                remove(r, false, true);
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                Invocation.current().err().println("krunbox: could not remove --rm box " + r.name() + ": " + e.getMessage());
            }
        });
    }

    /** Removes a box; a running one only with {@code force}, which kills it first. */
    public void remove(BoxRecord b, boolean force) throws IOException, InterruptedException {
        remove(b, force, false);
    }

    /** As above; {@code volumes} also removes the box's anonymous volumes ({@code rm -v}). */
    public void remove(BoxRecord b, boolean force, boolean volumes) throws IOException, InterruptedException {
        if (b.status().active()) {
            if (!force) {
                throw new BoxException("box " + b.name() + " is " + b.status() + ": stop it first, or use rm -f");
            }
            store.requestStop(b.id()); // not restarted by whoever looks meanwhile
            stopping(b);
            ProcessTruth.live(b.initPid(), b.initStart()).ifPresent(ProcessHandle::destroyForcibly);
            Optional<ProcessHandle> sup = ProcessTruth.live(b.supervisorPid(), b.supervisorStart());
            if (sup.isPresent() && sup.get().pid() != ProcessHandle.current().pid()) {
                try {
                    // the supervisor records the end and unmounts; give it the time to
                    sup.get().onExit().get(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    sup.get().destroyForcibly();
                }
            }
        }
        RootfsPreparer.release(dir(b));
        if (RootfsPreparer.isMountPoint(RootfsPreparer.merged(dir(b)))) {
            throw new BoxException("cannot remove box " + b.name() + ": its rootfs is still mounted");
        }
        io.krunbox.runtime.exec.SocketLinks.forThisUser().unlink(b.shortId());
        new io.krunbox.runtime.limits.BoxCgroup(b.id()).remove();
        List<String> nets = wiring().release(b.id(), b.shortId(), io.krunbox.runtime.model.Isolation.parse(b.isolation()),
                BoxWiring.publishes(b));
        store.delete(b.id());
        hosts().refresh(nets);
        if (volumes) {
            wiring().volumes().removeAnonymous(b.id());
        }
        if (Files.exists(dir(b))) {
            LayerUnpacker.deleteTree(dir(b));
        }
    }

    /**
     * Stops a box: its stop signal (SIGTERM unless created with another) to its init, which
     * passes it to the workload, then SIGKILL after {@code grace} (null: the box's own stop
     * timeout, 10 s unless created with another); returns once the box is recorded as ended.
     */
    public void stop(BoxRecord b, Duration grace) throws InterruptedException {
        if (!b.status().active()) {
            return;
        }
        StopPolicy policy = b.spec() == null ? StopPolicy.DEFAULT
                : b.spec().stop();
        store.requestStop(b.id());
        stopping(b);
        store.event(b.id(), "stop", "signal=" + policy.signal());
        Optional<ProcessHandle> init = ProcessTruth.live(b.initPid(), b.initStart());
        init.ifPresent(h -> io.krunbox.runtime.isolation.BoxProcess.signal(h, policy.signal()));
        if (b.status() == BoxStatus.RESTARTING) {
            stopRestart(b);
        }
        if (!awaitEnd(b, grace != null ? grace : policy.grace())) {
            init.ifPresent(ProcessHandle::destroyForcibly);
            if (!awaitEnd(b, Duration.ofSeconds(15))) {
                throw new BoxException("box " + b.name() + " did not end after SIGKILL");
            }
        }
    }

    /** This command ends the box and records its end: the box's monitor need not start krunbox for it. */
    private void stopping(BoxRecord b) {
        try {
            Files.writeString(dir(b).resolve(BoxMonitor.STOPPING_FILE), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException gone) {
            // a box whose directory is gone has nothing to record
        }
    }

    /**
     * A box between two runs has no process of its own: its new monitor, waiting out the restart's
     * backoff, is told to give up (the command that set it up hands it over within moments).
     */
    private void stopRestart(BoxRecord b) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            BoxRecord now = store.find(b.id()).orElse(null);
            if (now == null || now.status() != BoxStatus.RESTARTING) {
                return;
            }
            Optional<ProcessHandle> sup = ProcessTruth.live(now.supervisorPid(), now.supervisorStart());
            if (sup.isPresent() && sup.get().info().command().map(c -> c.contains("krunbox-monitor")).orElse(false)) {
                sup.get().destroy();
                return;
            }
            Thread.sleep(10);
        }
    }

    /** Sends a signal (name or number, e.g. KILL, TERM, HUP, 9) to a box's init. */
    public void kill(BoxRecord b, String signal) {
        if (!(b.status() == BoxStatus.RUNNING)) {
            throw new BoxNotRunningException(b.name(), b.status().word());
        }
        String sig = signal.toUpperCase(java.util.Locale.ROOT).replaceFirst("^SIG", "");
        java.util.Set<String> names = java.util.Set.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
                "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
                "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
        boolean number = sig.matches("[0-9]{1,2}") && Integer.parseInt(sig) >= 1 && Integer.parseInt(sig) <= 64;
        if (!number && !names.contains(sig) && !sig.matches("RTM(IN|AX)([+-][0-9]{1,2})?")) {
            throw new BoxException("\"" + signal + "\" is not a signal: use a name (KILL, TERM, HUP) or a number");
        }
        ProcessHandle init = ProcessTruth.live(b.initPid(), b.initStart())
                .orElseThrow(() -> new BoxException("box " + b.name() + " has no live process to signal"));
        // recorded first: the box's "die" may be recorded by its supervisor before kill(1) even returns
        store.event(b.id(), "kill", "signal=" + sig);
        io.krunbox.runtime.base.HostCommand.run("kill", "-s", sig, Long.toString(init.pid()));
    }

    private boolean awaitEnd(BoxRecord b, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextLook = 0;
        while (System.nanoTime() < deadline) {
            // a look at the state (and a reconcile) every 50 ms, or at once when the supervisor is gone:
            // krunbox-monitor ends with its box and leaves the recording to whoever looks
            if (System.nanoTime() >= nextLook || ProcessTruth.live(b.supervisorPid(), b.supervisorStart()).isEmpty()) {
                if (!get(b.id()).status().active()) {
                    return true;
                }
                nextLook = System.nanoTime() + Duration.ofMillis(50).toNanos();
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** Waits until a box is no longer running; returns its exit code. */
    public int await(BoxRecord b) throws InterruptedException {
        for (;;) {
            BoxRecord now = get(b.id());
            if (!now.status().active()) {
                return now.exitCode() == null ? 125 : now.exitCode();
            }
            Thread.sleep(100);
        }
    }

    /** Removes every box that is not running, and the kept logs of boxes run with --rm; returns what was removed. */
    public List<BoxRecord> prune() throws IOException, InterruptedException {
        List<BoxRecord> removed = new ArrayList<>();
        for (BoxRecord b : list(true)) {
            if (!b.status().active()) {
                remove(b, false);
                removed.add(b);
            }
        }
        if (Files.isDirectory(home.root().resolve(RemovedBoxes.DIR))) {
            LayerUnpacker.deleteTree(home.root().resolve(RemovedBoxes.DIR));
        }
        return removed;
    }
}
