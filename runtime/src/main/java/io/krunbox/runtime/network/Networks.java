package io.krunbox.runtime.network;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.NoSuchNetworkException;
import io.krunbox.runtime.network.NetworkStore.NetworkRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks of one home: records in state.db and the bridges (with their nftables rules)
 * that carry them. A bridge is made again whenever it is missing (after a reboot, say), so
 * the record is the truth and the host follows it.
 */
public final class Networks {
    private final NetworkStore store;
    private final HostNet net;
    private final SubnetPool pool;
    private final Nft nft;

    public Networks(NetworkStore store, HostNet net, SubnetPool pool) {
        this.store = store;
        this.net = net;
        this.pool = pool;
        this.nft = new Nft(net);
    }

    public NetworkStore store() {
        return store;
    }

    public HostNet net() {
        return net;
    }

    public Nft nft() {
        return nft;
    }

    /** {@code network create}: records the network and brings its bridge up; nothing is left if that fails. */
    public NetworkRecord create(String name, String subnet, String gateway, boolean internal, List<String> labels) {
        checkName(name);
        if (gateway != null && subnet == null) {
            throw new BoxException("--gateway needs --subnet: give the subnet the gateway belongs to");
        }
        Subnet s;
        try {
            s = subnet == null ? null : Subnet.parse(subnet);
            if (gateway != null) {
                Ipv4.parse(gateway);
            }
        } catch (IllegalArgumentException e) {
            throw new BoxException(e.getMessage());
        }
        NetworkRecord n = store.create(name, s, pool, gateway, internal, labels, s == null ? routed() : List.of(),
                links());
        try {
            up(n);
        } catch (RuntimeException e) {
            tearDown(n);
            store.delete(n.name());
            throw e;
        }
        return n;
    }

    /** The names of the links where krunbox makes its bridges. */
    java.util.Set<String> links() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String line : net.ip("-o", "link", "show").split("\n")) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length > 1) {
                out.add(parts[1].split("@")[0]);
            }
        }
        return out;
    }

    /** The IPv4 subnets routed where krunbox makes its bridges (not the default route). */
    List<Subnet> routed() {
        return routes(net.ip("-4", "-o", "route", "show"));
    }

    /** The destinations of {@code ip -4 -o route} lines: CIDRs, and single addresses as /32. */
    static List<Subnet> routes(String listing) {
        List<Subnet> out = new java.util.ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] w = line.trim().split("\\s+");
            String dest = w.length > 1 && w[0].matches("broadcast|local|unicast") ? w[1] : w[0];
            if (dest.isEmpty() || dest.equals("default") || !Character.isDigit(dest.charAt(0))) {
                continue;
            }
            try {
                out.add(Subnet.parse(dest.contains("/") ? dest : dest + "/32"));
            } catch (IllegalArgumentException notARoute) {
                // a destination krunbox does not need to avoid
            }
        }
        return out;
    }

    public static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new BoxException("invalid network name \"" + name + "\": use letters, digits, '_', '.', '-'"
                    + " (at most 64, starting with a letter or digit)");
        }
        if (name.equals("none") || name.equals("tsi") || name.equals("host")) {
            throw new BoxException("\"" + name + "\" is a network mode, not a name a network can have");
        }
    }

    public NetworkRecord get(String nameOrId) {
        return store.find(nameOrId).orElseThrow(() -> new NoSuchNetworkException(nameOrId));
    }

    /** The network a box asked for; the default network is made on first use. */
    public NetworkRecord forBox(String name) {
        if (name.equals(io.krunbox.runtime.model.NetworkAttachment.DEFAULT)) {
            return store.find(name).orElseGet(() -> {
                try {
                    return create(name, null, null, false, List.of());
                } catch (BoxException e) {
                    // another krunbox made it at the same moment
                    return store.find(name).orElseThrow(() -> e);
                }
            });
        }
        return get(name);
    }

    /** Makes sure the bridge exists, carries the gateway address, is up, and has its rules. */
    public void up(NetworkRecord n) {
        // boxes started side by side (threads of one process, or processes) bring one network up once
        synchronized (Networks.class) {
            Path lockFile = Path.of("/run/lock", "krunbox-net-" + (net.netns() == null ? "host" : net.netns()) + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = ch.lock()) {
                bringUp(n);
            } catch (IOException e) {
                throw new BoxException("cannot bring network " + n.name() + " up: " + lockFile + ": " + e.getMessage(), e);
            }
        }
    }

    private void bringUp(NetworkRecord n) {
        if (net.netns() != null) {
            net.ip("link", "set", "lo", "up"); // published ports listen on its loopback
        }
        if (!net.linkExists(n.bridge())) {
            net.ip("link", "add", n.bridge(), "type", "bridge");
            net.ip("addr", "add", n.gateway() + "/" + n.subnet().prefix(), "dev", n.bridge());
        }
        net.ip("link", "set", n.bridge(), "up");
        boolean uplink = !n.internal() && !net.ip("route", "show", "default").isBlank();
        if (uplink) {
            net.sysctl("net/ipv4/ip_forward", "1");
        }
        nft.addNetwork(n, uplink);
    }

    /** Removes a network: refused while boxes hold addresses on it, unless {@code force}. */
    public void remove(String nameOrId, boolean force) {
        NetworkRecord n = get(nameOrId);
        List<NetworkStore.Lease> leases = store.leasesOn(n.name());
        if (!leases.isEmpty() && !force) {
            List<String> users = new ArrayList<>();
            leases.forEach(l -> users.add(l.hostname()));
            throw new BoxException("network " + n.name() + " is in use by " + String.join(", ", users)
                    + ": remove or disconnect those boxes first, or use network rm -f");
        }
        tearDown(n);
        store.delete(n.name());
    }

    private void tearDown(NetworkRecord n) {
        nft.removeNetwork(n.bridge());
        net.tryIp("link", "del", n.bridge()); // already gone (a host reboot): nothing to do
    }

    /** Removes every network no box uses (the default one stays); returns their names. */
    public List<String> prune() {
        List<String> removed = new ArrayList<>();
        for (NetworkRecord n : store.all()) {
            if (!n.name().equals(io.krunbox.runtime.model.NetworkAttachment.DEFAULT) && store.leasesOn(n.name()).isEmpty()) {
                remove(n.name(), false);
                removed.add(n.name());
            }
        }
        return removed;
    }
}
