package io.krunbox.runtime;

import io.krunbox.oci.Image;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.runtime.guest.BoxConfigFile;
import io.krunbox.runtime.exec.SocketLinks;
import io.krunbox.runtime.limits.BoxCgroup;
import io.krunbox.runtime.guest.GuestInit;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.isolation.sandbox.SandboxLauncher;
import io.krunbox.runtime.isolation.vm.KrunCall;
import io.krunbox.runtime.isolation.vm.KrunCalls;
import io.krunbox.runtime.isolation.vm.VmLauncher;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.plan.Plan;
import io.krunbox.runtime.plan.Step;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Compiles one box into its plan. Each step carries the action that performs it, so
 * {@code --dry-run} prints exactly what a run does; the libkrun steps are made by the shim
 * from the same list of calls.
 */
public final class BoxPlanner {
    private final LayerCache layers;
    private final RootfsPreparer rootfs;
    private final Supplier<GuestInit> guestInit;
    private final VmLauncher vm;
    private final SocketLinks links;
    private final boolean cgroups;

    /** {@code cgroups}: whether sandbox boxes get cgroup limits on this host ({@link BoxCgroup#available()}). */
    public BoxPlanner(LayerCache layers, RootfsPreparer rootfs, Supplier<GuestInit> guestInit, VmLauncher vm,
                      SocketLinks links, boolean cgroups) {
        this.links = links;
        this.cgroups = cgroups;
        this.layers = layers;
        this.rootfs = rootfs;
        this.guestInit = guestInit;
        this.vm = vm;
    }

    public Plan plan(BoxSession s, BoxOutput output) {
        List<Step> steps = new ArrayList<>();
        Image image = s.image;
        steps.add(new Step("image", s.spec.image() + " -> " + image.manifestDigest() + " (" + image.source() + ")", null));
        if (s.rootfsMethod == RootfsPreparer.Method.OVERLAY) {
            for (Image.Layer l : image.layers()) {
                steps.add(new Step("layer", l.diffId() + " -> " + layers.pathOf(l)
                        + (layers.contains(l) ? " (cached)" : " (unpack)"), () -> layers.ensure(l, image.source())));
            }
        }
        steps.add(new Step("rootfs", rootfs.describe(s.rootfsMethod, image, s.boxDir),
                () -> s.rootfsMethod = rootfs.prepare(s.rootfsMethod, image, s.boxDir)));
        steps.add(new Step("init", "guest-init -> " + s.merged().resolve(".krunbox/init"),
                () -> guestInit.get().installInto(s.merged())));
        BoxConfigFile config = BoxConfigFile.of(s.spec, image.config(),
                s.spec.hostname() != null ? s.spec.hostname() : s.name, s.isolation);
        steps.add(new Step("config", s.merged().resolve(".krunbox/config.json") + ": argv " + config.argv()
                + ", workdir " + config.workdir() + (config.user().isEmpty() ? "" : ", user " + config.user())
                + ", hostname " + config.hostname(), () -> config.writeInto(s.merged())));
        steps.add(new Step("socket", links.of(s.shortId()) + " -> " + s.socketDir(), () -> {
            java.nio.file.Files.createDirectories(s.socketDir());
            links.link(s.shortId(), s.socketDir());
        }));
        if (s.isolation == Isolation.SANDBOX && cgroups) {
            steps.add(new Step("limits", "cgroups krunbox/" + s.shortId() + ": memory " + s.spec.memoryMib() + " MiB, pids "
                    + (s.spec.pidsLimit() > 0 ? s.spec.pidsLimit() : "max") + ", cpu quota " + s.spec.cpus(),
                    () -> s.cgroups = new BoxCgroup(s.id).create(s.spec.memoryMib(), s.spec.pidsLimit(), s.spec.cpus())));
        }
        if (s.isolation == Isolation.SANDBOX) {
            steps.add(new Step("process", String.join(" ", SandboxLauncher.command(s.merged(), s.socketDir()))
                    + " (foreground)", () -> s.process = new SandboxLauncher().start(s.merged(), s.boxDir, output, s.cgroups)));
        } else {
            List<KrunCall> calls = KrunCalls.forBox(s.spec, s.merged(), s.consoleLog(),
                    links.of(s.shortId()).resolve("exec.sock"));
            steps.add(new Step("process", vm.engine().describe(s.shortId()) + " (foreground, boot timeout "
                    + s.spec.bootTimeout().toSeconds() + " s)", () -> s.process = vm.start(calls, s.boxDir, s.merged(),
                            s.consoleLog(), s.boxDir.resolve("logs/shim.log"), output)));
            for (KrunCall c : calls) {
                steps.add(new Step("krun", c.render(), null));
            }
        }
        return new Plan("box " + s.name + " (" + s.isolation + ")", steps);
    }
}
