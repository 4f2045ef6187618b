package io.krunbox.runtime.wiring;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.network.HostsFile;
import io.krunbox.runtime.network.NetworkStore.Lease;
import io.krunbox.runtime.network.NetworkStore;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keeps every box's /etc/hosts in step with the leases on its networks, running boxes included. */
public final class BoxHosts {
    private final KrunboxHome home;
    private final BoxStore boxes;
    private final NetworkStore networks;

    public BoxHosts(KrunboxHome home, BoxStore boxes, NetworkStore networks) {
        this.home = home;
        this.boxes = boxes;
        this.networks = networks;
    }

    /** Writes {@code /etc/hosts}, {@code /etc/resolv.conf} and {@code /etc/hostname} into the root of a box that runs. */
    public void write(String boxId, String name, BoxSpec spec, Path root) throws IOException {
        write(boxId, name, spec, root, true);
    }

    /** As {@link #write(String, String, BoxSpec, Path)}; {@code running}: whether anything of the box may run meanwhile. */
    public void write(String boxId, String name, BoxSpec spec, Path root, boolean running) throws IOException {
        // the box's first network (which carries its default route) comes first: its gateway is the host's name
        List<Lease> own = new java.util.ArrayList<>(networks.leasesOf(boxId));
        List<String> order = spec.networks().stream().map(io.krunbox.runtime.model.NetworkAttachment::network).toList();
        own.sort(java.util.Comparator.comparingInt(l -> order.indexOf(l.network()) < 0 ? Integer.MAX_VALUE
                : order.indexOf(l.network())));
        Map<String, List<Lease>> byNetwork = new HashMap<>();
        Map<String, String> gateways = new HashMap<>();
        for (Lease l : own) {
            byNetwork.put(l.network(), networks.leasesOn(l.network()));
            networks.find(l.network()).ifPresent(n -> gateways.put(n.name(), n.gateway()));
        }
        String hostname = spec.hostname() != null ? spec.hostname() : name;
        HostsFile.write(root, "hosts", HostsFile.render(boxId, hostname, own, byNetwork, gateways, spec.extraHosts()), running);
        HostsFile.write(root, "resolv.conf", HostsFile.resolvConf(spec.dns()), running);
        HostsFile.write(root, "hostname", hostname + "\n", running);
    }

    /** Rewrites the hosts files of the running boxes on {@code changed} networks. */
    public void refresh(Collection<String> changed) {
        if (changed.isEmpty()) {
            return;
        }
        for (Lease l : networks.allLeases()) {
            if (!changed.contains(l.network())) {
                continue;
            }
            boxes.find(l.boxId()).ifPresent(b -> {
                Path merged = RootfsPreparer.merged(home.box(b.id()));
                if (b.status().active() && RootfsPreparer.isMountPoint(merged) && b.spec() != null) {
                    try {
                        write(b.id(), b.name(), b.spec(), merged);
                    } catch (IOException e) {
                        Invocation.current().err().println("krunbox: could not update /etc/hosts of box " + b.name() + ": " + e.getMessage());
                    }
                }
            });
        }
    }
}
