package io.krunbox.runtime.plan;

import io.krunbox.oci.Image;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.exec.SocketLinks;
import io.krunbox.runtime.guest.BoxConfigFile;
import io.krunbox.runtime.guest.GuestInit;
import io.krunbox.runtime.guest.GuestMount;
import io.krunbox.runtime.guest.GuestNic;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.isolation.sandbox.SandboxLauncher;
import io.krunbox.runtime.isolation.vm.KrunCall;
import io.krunbox.runtime.isolation.vm.KrunCalls;
import io.krunbox.runtime.isolation.vm.VmLauncher;
import io.krunbox.runtime.limits.BoxCgroup;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.network.NetworkStore;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import io.krunbox.runtime.security.BoxPrivileges;
import io.krunbox.runtime.wiring.BoxHosts;
import io.krunbox.runtime.wiring.BoxWiring;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Compiles one box into its plan. Each step carries the action that performs it, so
 * {@code --dry-run} prints exactly what a run does; the libkrun steps are made by the shim
 * from the same list of calls. Steps up to {@code socket} make the box; {@code links},
 * {@code ports}, {@code limits} and {@code process} start it.
 */
public final class BoxPlanner {
    /** The kinds of step that belong to starting a box rather than making it. */
    public static final java.util.Set<String> START_STEPS = java.util.Set.of("links", "ports", "limits", "process", "krun");

    private final LayerCache layers;
    private final RootfsPreparer rootfs;
    private final Supplier<GuestInit> guestInit;
    private final VmLauncher vm;
    private final SocketLinks links;
    private final boolean cgroups;
    private final BoxWiring wiring;
    private final BoxHosts hosts;

    /** {@code cgroups}: whether sandbox boxes get cgroup limits on this host ({@link BoxCgroup#available()}). */
    public BoxPlanner(LayerCache layers, RootfsPreparer rootfs, Supplier<GuestInit> guestInit, VmLauncher vm,
                      SocketLinks links, boolean cgroups, BoxWiring wiring, BoxHosts hosts) {
        this.links = links;
        this.cgroups = cgroups;
        this.layers = layers;
        this.rootfs = rootfs;
        this.guestInit = guestInit;
        this.vm = vm;
        this.wiring = wiring;
        this.hosts = hosts;
    }

    public Plan plan(BoxSession s, BoxOutput output) {
        List<Step> steps = new ArrayList<>();
        Image image = s.image;
        if (s.isolation == Isolation.SANDBOX && s.spec.networks().get(0).network().equals(NetworkAttachment.TSI)) {
            throw new BoxException("--network tsi is libkrun's own networking and needs --isolation vm;"
                    + " use a bridge network (the default) in the sandbox");
        }
        steps.add(new Step("image", s.spec.image() + " -> " + image.manifestDigest() + " (" + image.source() + ")", null));
        if (s.rootfsMethod == RootfsPreparer.Method.OVERLAY) {
            for (Image.Layer l : image.layers()) {
                steps.add(new Step("layer", l.diffId() + " -> " + layers.pathOf(l)
                        + (layers.contains(l) ? " (cached)" : " (unpack)"), () -> layers.ensure(l, image.source())));
            }
        }
        if (s.isolation == Isolation.VM && !s.spec.security().devices().isEmpty()) {
            throw new BoxException("--device is for the sandbox: a VM's guest has its own devices (its kernel's);"
                    + " use --isolation sandbox to give a box a host device");
        }
        boolean usernsAuto = s.spec.security().userns().equals("auto");
        if (usernsAuto) {
            if (s.isolation == Isolation.VM) {
                throw new BoxException("--userns auto is for the sandbox: a VM's guest has its own kernel and its shim runs"
                        + " jailed; use --userns host (the default) with --isolation vm");
            }
            if (s.rootfsMethod != RootfsPreparer.Method.OVERLAY) {
                throw new BoxException("--userns auto needs overlayfs (the box's root is made of idmapped layers);"
                        + " this host copies images instead (KRUNBOX_ROOTFS=copy or no overlay): use --userns host");
            }
            steps.add(new Step("userns", "auto: the box's uids and gids 0-65535 are a host range of its own,"
                    + " allocated in state.db", () -> s.usernsBase = wiring.usernsRanges().allocate(s.id)));
            steps.add(new Step("rootfs", rootfs.describeIdmapped(image, s.boxDir),
                    () -> rootfs.prepareIdmapped(image, s.boxDir, s.usernsBase)));
        } else {
            steps.add(new Step("rootfs", rootfs.describe(s.rootfsMethod, image, s.boxDir),
                    () -> s.rootfsMethod = rootfs.prepare(s.rootfsMethod, image, s.boxDir)));
        }
        steps.add(new Step("init", "guest-init -> " + s.control().init() + " (the box's /.krunbox, read-only to it)",
                () -> {
                    s.control().prepare(s.merged());
                    guestInit.get().installInto(s.control());
                }));
        List<GuestMount> mounts = wiring.plannedMounts(s.id, s.spec, s.isolation);
        for (int i = 0; i < mounts.size(); i++) {
            MountSpec m = s.spec.mounts().get(i);
            GuestMount g = mounts.get(i);
            String what = switch (m.type()) {
                case TMPFS -> "tmpfs " + g.target() + " (" + g.options() + ")";
                case BIND -> "bind " + g.bindSource() + " -> " + g.target();
                case VOLUME -> (m.source() == null ? "anonymous " : m.source() + " ")
                        + g.bindSource() + " -> " + g.target()
                        + (m.source() != null && s.upcoming.volumes().contains(m.source()) ? " (made earlier in this plan)"
                        : Files.exists(wiring.volumes().path(m.source() == null ? BoxWiring.anonymousName(s.id, m.target())
                        : m.source())) ? "" : " (create)");
            };
            steps.add(new Step("volume", what + (m.readOnly() ? " (read-only)" : "")
                    + (g.type().equals("virtiofs") ? ", virtio-fs tag " + g.tag() : ""),
                    () -> {
                        wiring.prepare(s.id, m, s.merged());
                        wiring.shareFile(s.id, m, g);
                    }));
        }
        for (NetworkAttachment a : s.spec.bridged() ? s.spec.networks() : List.<NetworkAttachment>of()) {
            String where = wiring.networks().store().find(a.network())
                    .map(n -> "lease on " + n.subnet() + ", gateway " + n.gateway() + ", bridge " + n.bridge())
                    .orElse(s.upcoming.networks().contains(a.network()) ? "a lease on the bridge made earlier in this plan"
                            : a.network().equals(NetworkAttachment.DEFAULT) ? "the default network, made on first use"
                            : "not there yet (compose up makes a project's networks; otherwise `krunbox network create "
                            + a.network() + "`)");
            steps.add(new Step("network", a.network() + ": " + where + (a.ip() != null ? ", ip " + a.ip() : "")
                    + (a.aliases().isEmpty() ? "" : ", aliases " + String.join(" ", a.aliases())), () -> {
                        wiring.networks().forBox(a.network());
                        wiring.networks().store().lease(a.network(), s.id, s.name, a.aliases(), a.ip());
                    }));
        }
        if (!s.spec.bridged()) {
            steps.add(new Step("network", s.spec.networks().get(0).network().equals(NetworkAttachment.TSI)
                    ? "tsi: libkrun's transparent socket impersonation" : "none: loopback only", null));
        }
        BoxPrivileges privileges = BoxPrivileges.of(s.spec.security());
        BoxConfigFile config = BoxConfigFile.of(s.spec, image.config(),
                s.spec.hostname() != null ? s.spec.hostname() : s.name, s.isolation);
        steps.add(new Step("security", privileges.describe(s.isolation == Isolation.SANDBOX), null));
        steps.add(new Step("config", s.control().config() + ": argv " + config.argv()
                + ", workdir " + config.workdir() + (config.user().isEmpty() ? "" : ", user " + config.user())
                + ", hostname " + config.hostname() + (s.spec.readOnly() ? ", read-only root" : ""), () -> {
                    config.wired(wiring.nics(s.id, s.isolation), mounts).attached(s.attach)
                            .secured(privileges.withUsernsBase(s.usernsBase)).writeInto(s.control());
                    hosts.write(s.id, s.name, s.spec, s.merged(), false); // before the box starts
                }));
        steps.add(new Step("socket", links.of(s.shortId()) + " -> " + s.socketDir(), () -> {
            Files.createDirectories(s.socketDir());
            links.link(s.shortId(), s.socketDir());
        }));
        List<GuestNic> nics = wiring.plannedNics(s.id, s.spec, s.isolation);
        if (!nics.isEmpty()) {
            List<String> text = new ArrayList<>();
            for (GuestNic n : nics) {
                text.add(s.isolation == Isolation.VM ? "tap " + n.hostLink() + " master " + n.bridge()
                        : "veth " + n.hostLink() + " master " + n.bridge() + ", peer " + n.peer() + " " + n.mac()
                        + " in netns " + BoxWiring.boxNetns(s.shortId()));
            }
            steps.add(new Step("links", String.join("; ", text),
                    () -> wiring.up(s.id, s.shortId(), s.isolation, s.spec, wiring.nics(s.id, s.isolation))));
        }
        if (!s.spec.ports().isEmpty()) {
            // the rules go in with the links (BoxWiring.up): in the kernel, nothing runs per port
            steps.add(new Step("ports", String.join(", ", s.spec.ports().stream().map(PortMapping::toString).toList())
                    + " (nftables DNAT in the kernel, 127.0.0.1 included; no process per port)", () -> { }));
        }
        if (s.isolation == Isolation.SANDBOX && cgroups) {
            steps.add(new Step("limits", "cgroups krunbox/" + s.shortId() + ": memory " + s.spec.memoryMib() + " MiB, pids "
                    + (s.spec.pidsLimit() > 0 ? s.spec.pidsLimit() : "max") + ", cpu quota " + s.spec.cpus(),
                    () -> s.cgroups = new BoxCgroup(s.id).create(s.spec.memoryMib(), s.spec.pidsLimit(), s.spec.cpus(),
                            privileges.deviceRules())));
        } else if (cgroups) {
            // the shim holds the guest's memory and runs its vCPUs: its cgroups bound what the VM can take of the host
            int mib = s.spec.memoryMib() + BoxCgroup.VM_OVERHEAD_MIB;
            steps.add(new Step("limits", "cgroups krunbox/" + s.shortId() + " for the shim: memory " + mib
                    + " MiB (guest + " + BoxCgroup.VM_OVERHEAD_MIB + "), cpu quota " + s.spec.cpus(),
                    () -> s.cgroups = new BoxCgroup(s.id).create(mib, 0, s.spec.cpus())));
        } else {
            steps.add(new Step("limits", "none: this host has no cgroup v1 memory, pids and cpu controllers (cgroup v2 is"
                    + " not supported yet), so the box's memory, pids and cpus are not bounded", null));
        }
        String netns = nics.isEmpty() ? null : BoxWiring.boxNetns(s.shortId());
        if (s.isolation == Isolation.SANDBOX) {
            steps.add(new Step("process", String.join(" ", SandboxLauncher.command(s.merged(), s.control(), s.socketDir(), netns, mounts,
                    privileges))
                    + " (foreground)", () -> s.process = new SandboxLauncher().start(s.merged(), s.boxDir, output, s.cgroups,
                    netns, mounts, privileges)));
        } else {
            List<KrunCall> calls = KrunCalls.forBox(s.spec, s.merged(), s.consoleLog(),
                    links.of(s.shortId()).resolve("exec.sock"), nics, mounts);
            String jail = vm.engine().jail(calls, s.boxDir);
            if (!jail.isEmpty()) {
                steps.add(new Step("jail", jail, null));
            }
            steps.add(new Step("process", vm.engine().describe(s.shortId()) + " (foreground, boot timeout "
                    + s.spec.bootTimeout().toSeconds() + " s)", () -> s.process = vm.start(calls, s.boxDir, s.merged(),
                            s.consoleLog(), s.boxDir.resolve("logs/shim.log"), output, wiring.networks().net().enter(),
                            s.cgroups)));
            for (KrunCall c : calls) {
                steps.add(new Step("krun", c.render(), null));
            }
        }
        return new Plan("box " + s.name + " (" + s.isolation + ")", steps);
    }
}
