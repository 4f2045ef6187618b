package io.krunbox.runtime;

import io.krunbox.oci.Image;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.oci.layer.LayerUnpacker;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.BoxNameTakenException;
import io.krunbox.runtime.base.BoxNames;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.base.NoSuchBoxException;
import io.krunbox.runtime.exec.SocketLinks;
import io.krunbox.runtime.guest.ExitRecord;
import io.krunbox.runtime.guest.GuestInit;
import io.krunbox.runtime.image.ImageResolver;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.image.PullNotices;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.isolation.BoxProcess;
import io.krunbox.runtime.isolation.vm.KvmHost;
import io.krunbox.runtime.isolation.vm.VmBootability;
import io.krunbox.runtime.isolation.vm.VmEngine;
import io.krunbox.runtime.isolation.vm.VmLauncher;
import io.krunbox.runtime.launch.BoxMonitor;
import io.krunbox.runtime.launch.BoxSupervisor;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.plan.BoxPlanner;
import io.krunbox.runtime.plan.BoxSession;
import io.krunbox.runtime.plan.Plan;
import io.krunbox.runtime.plan.PreparedBox;
import io.krunbox.runtime.plan.Step;
import io.krunbox.runtime.plan.Upcoming;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.state.RemovedBoxes;
import io.krunbox.runtime.wiring.BoxHosts;
import io.krunbox.runtime.wiring.BoxWiring;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one box in the foreground: plans it, carries the plan out, streams its output,
 * waits for it and returns the workload's exit code. The box's mounts and, with
 * {@code --rm}, its directory are gone when this returns. A SIGTERM or SIGINT to this
 * process is passed to the box, which then ends cleanly.
 */
public final class BoxRunner {
    private final KrunboxHome home;
    private final ImageResolver resolver;
    private final Images images;
    private final BoxStore boxes;
    private final KvmHost kvm;
    private final VmEngine vmEngine;
    private final PrintStream notices;
    private final BoxWiring wiring;
    private final BoxHosts hosts;

    public BoxRunner(KrunboxHome home, ImageResolver resolver, Images images, KvmHost kvm, VmEngine vmEngine,
                     PrintStream notices) {
        this.home = home;
        this.resolver = resolver;
        this.images = images;
        this.boxes = new BoxStore(images.db());
        this.wiring = BoxWiring.open(home, images.db(), boxes);
        this.hosts = new BoxHosts(home, boxes, wiring.networks().store());
        this.kvm = kvm;
        this.vmEngine = vmEngine;
        this.notices = notices;
    }

    /** The isolation a box gets: what it asked for, else vm where a VM can boot, else sandbox with a notice. */
    public Isolation chooseIsolation(BoxSpec spec) {
        if (spec.isolation() != null) {
            return spec.isolation();
        }
        String why = VmBootability.whyNot(kvm, spec.kernel() != null);
        if (why == null) {
            return Isolation.VM;
        }
        notices.println("krunbox: using --isolation sandbox: " + why + " (see `krunbox doctor`)");
        return Isolation.SANDBOX;
    }

    /** Plans a box without doing anything (not even a pull): what {@code --dry-run} prints. */
    public Plan plan(BoxSpec spec, BoxOutput output) {
        return prepare(spec, output, false, Upcoming.NONE).plan();
    }

    /**
     * Plans a box of a topology without doing anything: its steps are carried out later by
     * {@link #create(PreparedBox, java.util.function.Consumer)}, exactly as planned. The image must be here.
     */
    public PreparedBox prepare(BoxSpec spec, Upcoming upcoming) {
        return prepare(spec, new BoxOutput(OutputStream.nullOutputStream(), OutputStream.nullOutputStream()), false,
                upcoming);
    }

    private PreparedBox prepare(BoxSpec spec, BoxOutput output, boolean pull, Upcoming upcoming) {
        Isolation isolation = chooseIsolation(spec);
        if (spec.name() != null) {
            BoxNames.checkName(spec.name());
        }
        Image image;
        try {
            if (ImageResolver.isLocal(spec.image())) {
                image = resolver.resolve(spec.image());
            } else if (pull) {
                image = images.resolveOrPull(spec.image(), new PullNotices(notices, spec.image()));
            } else {
                image = images.find(spec.image()).map(r -> images.image(r, spec.image())).orElseThrow(() ->
                        new BoxException("image \"" + spec.image() + "\" is not held here: `krunbox pull "
                                + spec.image() + "` first (--dry-run does not pull)"));
            }
        } catch (ImageException e) {
            throw new BoxException(e.getMessage(), e);
        }
        String id = BoxNames.newId();
        String name = spec.name() != null ? spec.name() : boxes.freeName(BoxNames.random());
        BoxSession s = new BoxSession(id, name, resolve(spec, image, upcoming), image, isolation, home.box(id),
                RootfsPreparer.defaultMethod());
        s.upcoming = upcoming;
        LayerCache layers = images.layers();
        BoxPlanner planner = new BoxPlanner(layers, new RootfsPreparer(layers, notices::println),
                GuestInit::fromEnvironment, new VmLauncher(kvm, vmEngine), SocketLinks.forThisUser(),
                io.krunbox.runtime.limits.BoxCgroup.available(), wiring, hosts);
        return new PreparedBox(s, planner.plan(s, output));
    }

    /**
     * The spec as it is recorded: the image's VOLUMEs become anonymous volumes, {@code -P}
     * and host port 0 become concrete free ports, and a host port another box holds is refused.
     */
    private BoxSpec resolve(BoxSpec spec, Image image, Upcoming upcoming) {
        java.util.List<io.krunbox.runtime.model.MountSpec> mounts = new java.util.ArrayList<>(spec.mounts());
        for (String v : image.config().volumes()) {
            String target = v.endsWith("/") && v.length() > 1 ? v.substring(0, v.length() - 1) : v;
            if (mounts.stream().noneMatch(m -> m.target().equals(target))) {
                mounts.add(new io.krunbox.runtime.model.MountSpec(io.krunbox.runtime.model.MountSpec.Type.VOLUME, null,
                        target, false, ""));
            }
        }
        java.util.Map<String, java.util.List<io.krunbox.runtime.model.PortMapping>> others
                = new java.util.LinkedHashMap<>(upcoming.ports());
        if (!spec.ports().isEmpty() || spec.publishAll()) {
            for (BoxStore.BoxRecord b : boxes.all()) {
                if (b.spec() != null && b.status() != BoxStatus.FAILED && !upcoming.removed().contains(b.name())) {
                    others.put(b.name(), b.spec().ports());
                }
            }
        }
        java.util.List<io.krunbox.runtime.model.PortMapping> ports = io.krunbox.runtime.network.Ports.resolve(
                spec.ports(), spec.publishAll(), image.config().exposedPorts(), others);
        return spec.resolved(ports, mounts);
    }

    public BoxWiring wiring() {
        return wiring;
    }

    /** Whether a box of this image can be planned without a pull: a local path, or an image held here. */
    public boolean holds(String image) {
        return ImageResolver.isLocal(image) || images.find(image).isPresent();
    }

    /** Pulls an image that is not held here, with progress on the notices stream. */
    public void pull(String image) {
        try {
            images.resolveOrPull(image, new PullNotices(notices, image));
        } catch (ImageException e) {
            throw new BoxException(e.getMessage(), e);
        }
    }

    /** Makes a box without starting it ({@code create}); its rootfs is unmounted until {@link #start}. */
    public String create(BoxSpec spec) {
        BoxSession s = make(spec);
        RootfsPreparer.release(s.boxDir);
        return s.id;
    }

    /** {@code run -d}: makes the box and hands it to a detached supervisor; returns its id once it runs. */
    public String runDetached(BoxSpec spec) {
        return runDetached(spec, false);
    }

    /** As {@link #runDetached(BoxSpec)}; with {@code attach} the box waits for its command to come over exec (run -it). */
    public String runDetached(BoxSpec spec, boolean attach) {
        BoxSession s = make(spec, attach);
        start(s.id);
        return s.id;
    }

    /** Starts a created or exited box under a detached supervisor; returns its record once it runs (or ended). */
    public BoxStore.BoxRecord start(String id) {
        BoxStore.BoxRecord b = boxes.find(id).orElseThrow(() -> new NoSuchBoxException(id));
        if (b.status().active() && !(b.status() == BoxStatus.CREATED)) {
            throw new BoxException("box " + b.name() + " is already " + b.status());
        }
        boxes.created(b.id());
        if (BoxMonitor.suits(b.spec(), Isolation.parse(b.isolation()))) {
            BoxStore.BoxRecord now = BoxMonitor.start(home, boxes, b);
            if ((now.status() == BoxStatus.FAILED)) {
                throw new BoxException("box " + b.name() + " failed to start: " + now.reason());
            }
            return now;
        }
        try {
            Process supervisor = BoxSupervisor.spawn(home, b.id());
            Duration wait = Duration.ofSeconds(30).plus(b.spec().bootTimeout());
            BoxStore.BoxRecord now = BoxSupervisor.awaitStarted(boxes, b.id(), supervisor, wait);
            if ((now.status() == BoxStatus.FAILED)) {
                throw new BoxException("box " + b.name() + " failed to start: " + now.reason());
            }
            return now;
        } catch (IOException e) {
            throw new BoxException("cannot start the supervisor of box " + b.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoxException("interrupted while starting box " + b.name(), e);
        }
    }

    /**
     * Plans a box and records it before anything is made. A generated name that another process
     * recorded between the draw and the record is drawn again; a name the user gave is refused.
     */
    private PreparedBox prepareAndRecord(BoxSpec spec, BoxOutput output) {
        for (int attempt = 1; ; attempt++) {
            PreparedBox p = prepare(spec, output, true, Upcoming.NONE);
            try {
                record(p.session());
                return p;
            } catch (BoxNameTakenException e) {
                if (spec.name() != null || attempt == 8) {
                    throw e;
                }
            }
        }
    }

    private void record(BoxSession s) {
        boxes.create(s.id, s.name, s.spec.image(), s.image.manifestDigest().toString(),
                s.image.layers().stream().map(l -> l.diffId().toString()).toList(), s.isolation.toString(),
                s.spec);
    }

    /** Records a box and carries out its plan up to (not including) the launch. */
    private BoxSession make(BoxSpec spec) {
        return make(spec, false);
    }

    private BoxSession make(BoxSpec spec, boolean attach) {
        home.create();
        BoxOutput none = new BoxOutput(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        PreparedBox p = prepareAndRecord(spec, none);
        p.session().attach = attach;
        return carryOut(p, step -> { });
    }

    /**
     * Makes and starts a box planned by {@link #prepare(BoxSpec, Upcoming)}: records it, carries out its
     * steps up to the launch as they were planned, each reported to {@code done}, and starts it detached.
     */
    public BoxStore.BoxRecord create(PreparedBox p, java.util.function.Consumer<Step> done) {
        home.create();
        record(p.session());
        BoxSession s = carryOut(p, done);
        return start(s.id);
    }

    private BoxSession carryOut(PreparedBox p, java.util.function.Consumer<Step> done) {
        BoxSession s = p.session();
        try {
            Files.createDirectories(s.boxDir.resolve("logs"));
            for (Step step : p.plan().steps()) {
                if (BoxPlanner.START_STEPS.contains(step.kind())) {
                    break;
                }
                if (step.action() != null) {
                    step.action().run();
                }
                done.accept(step);
            }
            boxes.created(s.id);
            hosts.refresh(wiring.networks().store().leasesOf(s.id).stream().map(l -> l.network()).toList());
            return s;
        } catch (Exception e) {
            String why = e instanceof BoxException ? e.getMessage() : "box " + s.name + " failed: " + e.getMessage();
            boxes.finish(s.id, BoxStatus.FAILED, null, why);
            wiring.release(s.id, s.shortId(), s.isolation);
            RootfsPreparer.release(s.boxDir);
            throw e instanceof BoxException be ? be : new BoxException(why, e);
        }
    }

    /** Runs the box to its end and returns the workload's exit code. */
    public int run(BoxSpec spec, BoxOutput caller) {
        home.create();
        // the box's output goes to the caller and to its log
        io.krunbox.runtime.logs.LogTee tee = new io.krunbox.runtime.logs.LogTee(caller);
        // recorded before anything is made: a failure leaves a record with the reason, never an orphan
        PreparedBox p = prepareAndRecord(spec, tee.output());
        BoxSession s = p.session();
        String failure = null;
        io.krunbox.runtime.rootfs.RootfsLock ending = null;
        ShutdownForwarder forwarder = new ShutdownForwarder(s);
        io.krunbox.runtime.base.Invocation.current().onSignal(forwarder);
        try {
            GuestInit.fromEnvironment(); // refuse a bad guest-init before anything is made
            Files.createDirectories(s.boxDir.resolve("logs"));
            tee.open(s.consoleLog(), s.isolation == Isolation.SANDBOX, s.spec.log());
            for (Step step : p.plan().steps()) {
                if (forwarder.stopping) {
                    throw new BoxException("box " + s.name + " was stopped before it started");
                }
                if (step.action() != null) {
                    step.action().run();
                }
            }
            boxes.running(s.id, ProcessHandle.current(), s.process.initHandle().orElse(null));
            hosts.refresh(wiring.networks().store().leasesOf(s.id).stream().map(l -> l.network()).toList());
            if (s.process instanceof VmLauncher.VmProcess vmProcess) {
                vmProcess.awaitReady(s.name, spec.bootTimeout(), spec.kernel() != null);
            }
            int status = s.process.waitFor();
            java.util.Optional<ExitRecord> exit = ExitRecord.readAfterEnd(s.control());
            int code = exit.map(ExitRecord::code).orElse(s.isolation == Isolation.SANDBOX ? status : 125);
            // recorded ended and taken down as one: a start of the box waits for both
            ending = io.krunbox.runtime.rootfs.RootfsLock.take(s.boxDir);
            boxes.finish(s.id, BoxStatus.EXITED, code, exit.map(ExitRecord::reason)
                    .orElse("the box ended without an exit record (supervisor status " + status + ")"));
            forwarder.exitCode = code;
            return code;
        } catch (BoxException e) {
            failure = e.getMessage();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while running box " + s.name;
            throw new BoxException(failure, e);
        } catch (Exception e) {
            failure = "box " + s.name + " failed: " + e.getMessage();
            throw new BoxException(failure, e);
        } finally {
            if (ending == null) {
                ending = io.krunbox.runtime.rootfs.RootfsLock.take(s.boxDir);
            }
            try {
                if (failure != null) {
                    boxes.finish(s.id, BoxStatus.FAILED, null, failure);
                }
                BoxProcess proc = s.process;
                if (proc != null && proc.isAlive()) {
                    proc.kill();
                }
                tee.close();
                cleanUp(s);
            } finally {
                ending.close();
            }
            forwarder.done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(forwarder);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and will end the process with the box's code
            }
        }
    }

    /** Unmounts the rootfs; with --rm removes the box and its record; a box that never started keeps only its record. */
    private void cleanUp(BoxSession s) {
        try {
            try {
                if (s.spec.remove() || s.process == null) {
                    hosts.refresh(wiring.release(s.id, s.shortId(), s.isolation, BoxWiring.publishes(s.spec)));
                    if (s.spec.remove()) {
                        wiring.volumes().removeAnonymous(s.id);
                    }
                } else {
                    wiring.down(s.id, s.shortId(), s.isolation, BoxWiring.publishes(s.spec));
                }
            } catch (BoxException e) {
                notices.println("krunbox: could not take down the network links of box " + s.name + ": " + e.getMessage());
            }
            RootfsPreparer.release(s.boxDir);
            SocketLinks.forThisUser().unlink(s.shortId());
            new io.krunbox.runtime.limits.BoxCgroup(s.id).remove();
            if (s.spec.remove()) {
                boxes.find(s.id).ifPresent(b -> RemovedBoxes.keep(home, b));
                boxes.delete(s.id);
            }
            if ((s.spec.remove() || s.process == null) && Files.exists(s.boxDir)) {
                if (RootfsPreparer.isMountPoint(s.merged())) {
                    throw new BoxException("cannot remove box " + s.name + ": " + s.merged() + " is still mounted");
                }
                LayerUnpacker.deleteTree(s.boxDir);
            }
        } catch (IOException e) {
            notices.println("krunbox: could not clean up box " + s.name + " at " + s.boxDir + ": " + e.getMessage());
        }
    }

    /** On SIGTERM/SIGINT: stop the box, let {@link #run} clean up, then end with the box's code. */
    private static final class ShutdownForwarder extends Thread {
        private final BoxSession s;
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean stopping;
        volatile int exitCode = 143;
        private final io.krunbox.runtime.base.Invocation call = io.krunbox.runtime.base.Invocation.current();

        ShutdownForwarder(BoxSession s) {
            super("krunbox-stop-box");
            this.s = s;
        }

        @Override
        public void run() {
            stopping = true;
            BoxProcess p = s.process;
            try {
                if (p != null && p.isAlive()) {
                    p.stop(s.spec.stop().signal());
                    if (!p.waitFor(s.spec.stop().grace())) {
                        p.kill();
                    }
                }
                done.await(s.spec.stop().grace().toSeconds() + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            call.end(exitCode);
        }
    }

    /** Prints a plan for the caller. */
    public void printPlan(Plan plan, PrintStream out) {
        out.print(plan.render(home.root()));
        out.flush();
    }
}
