package io.krunbox.runtime;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.ImagePruner;
import io.krunbox.runtime.image.ImageResolver;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.isolation.vm.KvmHost;
import io.krunbox.runtime.isolation.vm.LibkrunShimEngine;
import io.krunbox.runtime.network.Networks;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.topology.ProjectBoxes;
import io.krunbox.runtime.volume.Volumes;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One door into the runtime: a home, opened once, with its images, boxes, networks, volumes,
 * compose projects and topologies. The CLI commands, the shell, scripts, jshell and the JUnit
 * extension all go through it; what it reads from the environment (the home, insecure
 * registries, the demo image) comes from the {@link Invocation} of the call that opens it, so
 * two calls in one server each get their own.
 * <pre>
 * try (Krunbox k = Krunbox.open()) {
 *     String id = k.runner(System.err).runDetached(BoxSpec.builder("demo").command(List.of("sleep", "60")).build());
 *     k.boxes().stop(k.boxes().get(id), Duration.ofSeconds(2));
 * }
 * </pre>
 */
public final class Krunbox implements AutoCloseable {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    private final KrunboxHome home;
    private final Images images;
    private final Boxes boxes;
    private final ImageResolver resolver;
    private KvmHost kvm;

    private Krunbox(KrunboxHome home, Images images) {
        this.home = home;
        this.images = images;
        this.boxes = new Boxes(home, new BoxStore(images.db()));
        this.resolver = ImageResolver.fromEnvironment();
    }

    /** The home of this call's environment ({@code KRUNBOX_HOME}, else {@code ~/.krunbox}). */
    public static Krunbox open() {
        return open(KrunboxHome.fromEnvironment(), Set.of());
    }

    public static Krunbox open(KrunboxHome home) {
        return open(home, Set.of());
    }

    /** {@code insecureRegistries}: registries spoken to over plain HTTP, besides KRUNBOX_INSECURE_REGISTRIES's. */
    public static Krunbox open(KrunboxHome home, Set<String> insecureRegistries) {
        // nothing is made in the home until something is made (a look with ps leaves it as it was)
        return new Krunbox(home, Images.open(home, insecureRegistries));
    }

    public KrunboxHome home() {
        return home;
    }

    /** Pull, build results, tags, layers: the home's image store. */
    public Images images() {
        return images;
    }

    /** Find, stop, kill, remove, exec into and wait for the home's boxes. */
    public Boxes boxes() {
        return boxes;
    }

    public Networks networks() {
        return boxes.wiring().networks();
    }

    public Volumes volumes() {
        return boxes.wiring().volumes();
    }

    /** What {@code image prune} removes: images no box uses. */
    public ImagePruner pruner() {
        return new ImagePruner(images, boxes.store());
    }

    /** Creates, runs and starts boxes; {@code notices} gets what a user should know (an isolation chosen for them, pulls). */
    public BoxRunner runner(PrintStream notices) {
        return new BoxRunner(home, resolver, images, kvm(), new LibkrunShimEngine(), notices);
    }

    public BoxRunner runner() {
        return runner(NOWHERE);
    }

    /** Brings topologies (compose projects, DSL topologies, kube files) up and down, showing progress on {@code progress}. */
    public TopologyRunner topologies(PrintStream progress) {
        return topologies(runner(progress), progress);
    }

    /** As {@link #topologies(PrintStream)}, with the boxes made by {@code runner}. */
    public TopologyRunner topologies(BoxRunner runner, PrintStream progress) {
        return new TopologyRunner(home, runner, boxes, progress);
    }

    /** A compose project's boxes, found by their labels. */
    public List<ProjectBoxes.ProjectBox> project(String name) {
        return ProjectBoxes.of(boxes, name);
    }

    /** Every project with a box here. */
    public List<String> projects() {
        return ProjectBoxes.projects(boxes);
    }

    /** Starts a created or exited box in the background (what went wrong tidying up on the call's stderr). */
    public BoxRecord start(BoxRecord box) {
        return runner(Invocation.current().err()).start(box.id());
    }

    /** Stops a box ({@code grace} null: its own stop timeout) and starts it again, keeping what it wrote. */
    public BoxRecord restart(BoxRecord box, Duration grace) throws InterruptedException {
        boxes.stop(box, grace);
        return start(boxes.get(box.id()));
    }

    private synchronized KvmHost kvm() {
        if (kvm == null) {
            kvm = KvmHost.probe();
        }
        return kvm;
    }

    @Override
    public void close() {
        images.close();
    }
}
