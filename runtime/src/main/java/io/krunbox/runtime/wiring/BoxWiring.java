package io.krunbox.runtime.wiring;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.guest.GuestMount;
import io.krunbox.runtime.guest.GuestNic;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.network.HostNet;
import io.krunbox.runtime.network.NetworkStore.Lease;
import io.krunbox.runtime.network.NetworkStore.NetworkRecord;
import io.krunbox.runtime.network.NetworkStore;
import io.krunbox.runtime.network.Networks;
import io.krunbox.runtime.volume.Volumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What connects a box to the rest: its volumes and tmpfs mounts, its leases on bridge
 * networks, and, while it runs, its links (a veth into the box's network namespace, or a
 * TAP for a VM) and its port rules. The same code serves a foreground run and a supervisor.
 */
public final class BoxWiring {
    private final Networks networks;
    private final Volumes volumes;
    private final io.krunbox.runtime.state.UsernsRanges usernsRanges;

    public BoxWiring(Networks networks, Volumes volumes) {
        this(networks, volumes, null);
    }

    public BoxWiring(Networks networks, Volumes volumes, io.krunbox.runtime.state.UsernsRanges usernsRanges) {
        this.networks = networks;
        this.volumes = volumes;
        this.usernsRanges = usernsRanges;
    }

    /** The --userns auto ranges of this home's boxes. */
    public io.krunbox.runtime.state.UsernsRanges usernsRanges() {
        if (usernsRanges == null) {
            throw new IllegalStateException("this wiring has no state.db for --userns auto ranges");
        }
        return usernsRanges;
    }

    /** The wiring of one home's state.db, with host networking where the environment says. */
    public static BoxWiring open(KrunboxHome home, io.krunbox.statedb.StateDb db,
                                 io.krunbox.runtime.state.BoxStore boxes) {
        return new BoxWiring(new Networks(new NetworkStore(db), HostNet.fromEnvironment(),
                io.krunbox.runtime.network.SubnetPool.fromEnvironment()),
                new Volumes(home, new io.krunbox.runtime.volume.VolumeStore(db), boxes),
                new io.krunbox.runtime.state.UsernsRanges(db));
    }

    public Networks networks() {
        return networks;
    }

    public Volumes volumes() {
        return volumes;
    }

    /** The network namespace a sandbox box with bridge networks runs in. */
    public static String boxNetns(String shortId) {
        return "kb-" + shortId;
    }

    /** Host-side link names: {@code kbv…} (veth) and {@code kbt…} (TAP), 13 characters. */
    public static String linkName(Isolation isolation, String boxId, String network) {
        return (isolation == Isolation.VM ? "kbt" : "kbv") + NetworkStore.linkHash(boxId, network);
    }

    /** An anonymous volume's name: stable for a box and a mount point. */
    public static String anonymousName(String boxId, String target) {
        return NetworkStore.hash("volume/" + boxId + "/" + target, 32);
    }

    /** What a box's mounts will be, without making anything (the plan prints it; the launchers use it). */
    public List<GuestMount> plannedMounts(String boxId, BoxSpec spec, Isolation isolation) {
        List<GuestMount> out = new ArrayList<>();
        int tag = 0;
        for (MountSpec m : spec.mounts()) {
            if (m.type() == MountSpec.Type.TMPFS) {
                out.add(new GuestMount("tmpfs", "", "", m.target(), false, m.options(), ""));
                continue;
            }
            Path source = sourceOf(boxId, m);
            boolean file = Files.exists(source) && !Files.isDirectory(source);
            String t = "kbv" + tag++;
            // a VM shares directories: a single file goes alone into a directory of its own, never with its siblings
            String dir = !file ? source.toString() : isolation == Isolation.VM ? fileShare(boxId, t).toString()
                    : source.getParent().toString();
            String sub = file ? source.getFileName().toString() : "";
            out.add(new GuestMount(isolation == Isolation.VM ? "virtiofs" : "bind", dir, sub, m.target(), m.readOnly(), "", t));
        }
        return out;
    }

    private Path sourceOf(String boxId, MountSpec m) {
        if (m.type() == MountSpec.Type.BIND) {
            return Path.of(m.source()).toAbsolutePath();
        }
        return volumes.path(m.source() != null ? m.source() : anonymousName(boxId, m.target()));
    }

    /**
     * Makes one mount's source ready: a named or anonymous volume is created on first use and
     * filled from the image's content at its mount point; a missing bind directory is made,
     * as {@code docker run -v} does.
     */
    public void prepare(String boxId, MountSpec m, Path merged) throws IOException {
        if (m.type() == MountSpec.Type.BIND) {
            Path source = Path.of(m.source());
            if (!Files.exists(source)) {
                Files.createDirectories(source);
            }
        } else if (m.type() == MountSpec.Type.VOLUME) {
            String name = m.source() != null ? m.source() : anonymousName(boxId, m.target());
            // the image's content at the mount point, found as the box would find it: a link in the image
            // (/data -> /etc, /var -> /) stays inside the box's root and never leads the copy to the host's files
            Path data = volumes.prepare(name, m.source() == null, boxId,
                    merged == null ? null : io.krunbox.runtime.hostfs.RootfsPath.resolve(merged, m.target(), true));
            java.util.OptionalLong base = usernsRanges == null ? java.util.OptionalLong.empty() : usernsRanges.find(boxId);
            if (base.isPresent() && ((Number) Files.getAttribute(data, "unix:uid")).longValue() == 0 && isEmpty(data)) {
                // a new, empty volume of a --userns auto box belongs to the box's root (image content keeps its owners)
                Files.setAttribute(data, "unix:uid", (int) base.getAsLong());
                Files.setAttribute(data, "unix:gid", (int) base.getAsLong());
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Every mount of the box prepared, then as planned. */
    public List<GuestMount> mounts(String boxId, BoxSpec spec, Path merged, Isolation isolation) throws IOException {
        for (MountSpec m : spec.mounts()) {
            prepare(boxId, m, merged);
        }
        List<GuestMount> planned = plannedMounts(boxId, spec, isolation);
        for (int i = 0; i < planned.size(); i++) {
            shareFile(boxId, spec.mounts().get(i), planned.get(i));
        }
        return planned;
    }

    /** Where a VM box's single-file mount {@code tag} is shared from: {@code boxes/<id>/files/<tag>/}. */
    Path fileShare(String boxId, String tag) {
        return volumes.home().box(boxId).resolve("files").resolve(tag);
    }

    /**
     * Puts each single file a VM mounts alone in its share directory, as a hard link (the same
     * file, so writes reach it both ways); across file systems a read-only file is copied, and a
     * read-write one refused.
     */
    public void shareFile(String boxId, MountSpec m, GuestMount g) throws IOException {
        if (!g.type().equals("virtiofs") || g.subpath().isEmpty()) {
            return;
        }
        Path source = sourceOf(boxId, m), dir = Path.of(g.hostPath()), link = dir.resolve(g.subpath());
        Files.createDirectories(dir);
        Files.deleteIfExists(link);
        try {
            Files.createLink(link, source);
        } catch (java.nio.file.FileSystemException crossDevice) {
            if (!m.readOnly()) {
                throw new BoxException("-v " + source + ":" + m.target() + ": a single file on another file system"
                        + " than krunbox's home cannot be shared read-write with a VM; mount its directory, or add :ro");
            }
            Files.copy(source, link, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** The box's links as planned (no addresses yet): names and MACs follow from the box and network. */
    public List<GuestNic> plannedNics(String boxId, BoxSpec spec, Isolation isolation) {
        List<GuestNic> out = new ArrayList<>();
        if (!spec.bridged()) {
            return out;
        }
        int i = 0;
        for (NetworkAttachment a : spec.networks()) {
            String bridge = networks.store().find(a.network()).map(NetworkRecord::bridge).orElse("(new bridge)");
            out.add(new GuestNic(a.network(), linkName(isolation, boxId, a.network()), "eth" + i,
                    NetworkStore.mac(boxId, a.network()), null, 0, null, i == 0, bridge));
            i++;
        }
        return out;
    }

    /** Takes an address on each bridge network of the box; nothing is kept if one fails. */
    public List<Lease> lease(String boxId, String name, BoxSpec spec) {
        List<Lease> taken = new ArrayList<>();
        if (!spec.bridged()) {
            return taken;
        }
        try {
            for (NetworkAttachment a : spec.networks()) {
                networks.forBox(a.network());
                taken.add(networks.store().lease(a.network(), boxId, name, a.aliases(), a.ip()));
            }
            return taken;
        } catch (RuntimeException e) {
            networks.store().release(boxId, null);
            throw e;
        }
    }

    /** The box's interfaces as guest-init sets them up: the first network carries the default route. */
    public List<GuestNic> nics(String boxId, Isolation isolation) {
        List<GuestNic> out = new ArrayList<>();
        int i = 0;
        for (Lease l : networks.store().leasesOf(boxId)) {
            NetworkRecord n = networks.get(l.network());
            out.add(new GuestNic(n.name(), linkName(isolation, boxId, n.name()), "eth" + i, l.mac(), l.ip(),
                    n.subnet().prefix(), n.gateway(), i == 0 && !n.internal(), n.bridge()));
            i++;
        }
        return out;
    }

    /** Makes the links of a starting box (and its namespace, in the sandbox) and its port rules. */
    public void up(String boxId, String shortId, Isolation isolation, BoxSpec spec, List<GuestNic> nics) {
        if (nics.isEmpty()) {
            return;
        }
        down(boxId, shortId, isolation); // what a crash may have left
        HostNet net = networks.net();
        try {
            if (isolation == Isolation.SANDBOX) {
                // not through `ip -n`: that runs in a private mount namespace, where the new name would stay
                HostCommand.run("ip", "netns", "add", boxNetns(shortId));
            }
            for (GuestNic n : nics) {
                networks.up(networks.get(n.network()));
                link(boxId, shortId, isolation, n);
            }
            if (!spec.ports().isEmpty()) {
                io.krunbox.runtime.network.Ports.checkUnbound(spec.ports(), net.netns());
                for (PortMapping p : spec.ports()) {
                    networks.nft().addPort(boxId, nics.get(0).bridge(), p.hostIp(), p.hostPort(), p.protocol(),
                            nics.get(0).address(), p.boxPort());
                }
            }
        } catch (RuntimeException e) {
            down(boxId, shortId, isolation);
            throw e;
        }
    }

    /** Adds one link: veth peer {@code nic.peer()} in the box's namespace, or a TAP for a VM. */
    public void link(String boxId, String shortId, Isolation isolation, GuestNic n) {
        HostNet net = networks.net();
        if (isolation == Isolation.SANDBOX) {
            net.ip("link", "add", n.hostLink(), "type", "veth", "peer", "name", n.peer(), "address", n.mac(),
                    "netns", boxNetns(shortId));
        } else {
            net.ip("tuntap", "add", "dev", n.hostLink(), "mode", "tap");
        }
        net.ip("link", "set", n.hostLink(), "master", n.bridge(), "up");
    }

    /** Removes what {@link #up} made; safe to call for a box that has nothing (or never started). */
    public void down(String boxId, String shortId, Isolation isolation) {
        down(boxId, shortId, isolation, true);
    }

    /**
     * As {@link #down(String, String, Isolation)}; {@code published} false says the box published
     * no port, so there is no DNAT rule of its to look for (listing the rules costs an nft run).
     */
    public void down(String boxId, String shortId, Isolation isolation, boolean published) {
        HostNet net = networks.net();
        List<Lease> leases = networks.store().leasesOf(boxId);
        boolean boxNetns = Files.exists(HostNet.path(boxNetns(shortId)));
        if (leases.isEmpty() && !boxNetns) {
            return; // never wired
        }
        // a sandbox's veth pairs went with its namespace when that was deleted (taken down before)
        if (isolation != Isolation.SANDBOX || boxNetns) {
            for (Lease l : leases) {
                net.tryIp("link", "del", linkName(isolation, boxId, l.network()));
            }
        }
        if (boxNetns) {
            HostCommand.tryRun("ip", "netns", "del", boxNetns(shortId));
        }
        if (published) {
            networks.nft().removeBox(boxId);
        }
    }

    /** Whether a box of this spec may have DNAT rules (null: not known, so it may). */
    public static boolean publishes(io.krunbox.runtime.model.BoxSpec spec) {
        return spec == null || !spec.ports().isEmpty() || spec.publishAll();
    }

    /** As {@link #publishes(io.krunbox.runtime.model.BoxSpec)}, for a recorded box. */
    public static boolean publishes(io.krunbox.runtime.state.BoxStore.BoxRecord b) {
        return publishes(b.spec());
    }

    /** On rm: links, rules and leases go; returns the networks whose boxes need their hosts files again. */
    public List<String> release(String boxId, String shortId, Isolation isolation) {
        return release(boxId, shortId, isolation, true);
    }

    /** As {@link #release(String, String, Isolation)}, for a box that may or may not have published ports. */
    public List<String> release(String boxId, String shortId, Isolation isolation, boolean published) {
        List<String> nets = networks.store().leasesOf(boxId).stream().map(Lease::network).toList();
        try {
            down(boxId, shortId, isolation, published);
        } finally {
            networks.store().release(boxId, null);
        }
        return nets;
    }
}
