package io.krunbox.runtime;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.guest.GuestNic;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.network.NetworkStore.Lease;
import io.krunbox.runtime.network.NetworkStore.NetworkRecord;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.wiring.BoxWiring;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code network connect} and {@code disconnect}: a box joins or leaves a network, running or
 * not. A running sandbox box gets (or loses) its link at once and every box on the network
 * sees the change in /etc/hosts; a VM cannot gain or lose a NIC while it runs.
 */
public final class BoxConnections {
    private final Boxes boxes;

    public BoxConnections(Boxes boxes) {
        this.boxes = boxes;
    }

    public Lease connect(BoxRecord b, String network, List<String> aliases, String ip) throws IOException {
        BoxSpec spec = b.spec();
        BoxWiring wiring = boxes.wiring();
        NetworkRecord n = wiring.networks().get(network);
        if (spec.networks().stream().anyMatch(a -> a.network().equals(n.name()))) {
            throw new BoxException("box " + b.name() + " is already on network " + n.name());
        }
        Isolation isolation = Isolation.parse(b.isolation());
        boolean running = (b.status() == BoxStatus.RUNNING);
        if (running && isolation == Isolation.VM) {
            throw new BoxException("box " + b.name() + " is a running VM, which cannot gain a network interface:"
                    + " stop it, connect it, and start it again");
        }
        if (running && !spec.bridged()) {
            throw new BoxException("box " + b.name() + " runs with --network " + spec.networks().get(0).network()
                    + ": stop it before connecting it to a network");
        }
        Lease lease = wiring.networks().store().lease(n.name(), b.id(), b.name(), aliases, ip);
        try {
            if (running) {
                wiring.networks().up(n);
                String peer = freeName(b.shortId());
                GuestNic nic = new GuestNic(n.name(), BoxWiring.linkName(isolation, b.id(), n.name()), peer, lease.mac(),
                        lease.ip(), n.subnet().prefix(), n.gateway(), false, n.bridge());
                wiring.link(b.id(), b.shortId(), isolation, nic);
                String ns = BoxWiring.boxNetns(b.shortId());
                HostCommand.run("ip", "-n", ns, "addr", "add", lease.ip() + "/" + n.subnet().prefix(), "dev", peer);
                HostCommand.run("ip", "-n", ns, "link", "set", peer, "up");
            }
        } catch (RuntimeException e) {
            wiring.networks().store().release(b.id(), n.name());
            throw e;
        }
        List<NetworkAttachment> nets = new ArrayList<>(spec.bridged() ? spec.networks() : List.of());
        nets.add(new NetworkAttachment(n.name(), aliases, ip));
        boxes.store().updateSpec(b.id(), withNetworks(spec, nets), "connect", "network=" + n.name());
        boxes.hosts().refresh(List.of(n.name()));
        return lease;
    }

    public void disconnect(BoxRecord b, String network, boolean force) throws IOException {
        BoxSpec spec = b.spec();
        BoxWiring wiring = boxes.wiring();
        NetworkRecord n = wiring.networks().get(network);
        boolean leased = wiring.networks().store().leasesOf(b.id()).stream().anyMatch(l -> l.network().equals(n.name()));
        if (!leased && !force) {
            throw new BoxException("box " + b.name() + " is not on network " + n.name());
        }
        Isolation isolation = Isolation.parse(b.isolation());
        boolean running = (b.status() == BoxStatus.RUNNING);
        if (running && isolation == Isolation.VM) {
            throw new BoxException("box " + b.name() + " is a running VM, which cannot lose a network interface:"
                    + " stop it first");
        }
        if (running) {
            wiring.networks().net().tryIp("link", "del", BoxWiring.linkName(isolation, b.id(), n.name()));
        }
        wiring.networks().store().release(b.id(), n.name());
        List<NetworkAttachment> nets = new ArrayList<>(spec.networks());
        nets.removeIf(a -> a.network().equals(n.name()));
        if (nets.isEmpty()) {
            nets.add(NetworkAttachment.of(NetworkAttachment.NONE));
        }
        BoxSpec changed = withNetworks(spec, nets);
        boxes.store().updateSpec(b.id(), changed, "disconnect", "network=" + n.name());
        boxes.hosts().refresh(List.of(n.name()));
        java.nio.file.Path merged = RootfsPreparer.merged(boxes.dir(b));
        if (running && RootfsPreparer.isMountPoint(merged)) {
            boxes.hosts().write(b.id(), b.name(), changed, merged);
        }
    }

    /** The first {@code ethN} not yet in the box's namespace. */
    private static String freeName(String shortId) {
        String links = HostCommand.run("ip", "-n", BoxWiring.boxNetns(shortId), "-o", "link", "show");
        for (int i = 0; ; i++) {
            if (!links.contains(": eth" + i + "@") && !links.contains(": eth" + i + ":")) {
                return "eth" + i;
            }
        }
    }

    static BoxSpec withNetworks(BoxSpec s, List<NetworkAttachment> nets) {
        return s.withNetworks(nets, nets.get(0).network().equals(NetworkAttachment.NONE) ? List.of() : s.ports());
    }
}
