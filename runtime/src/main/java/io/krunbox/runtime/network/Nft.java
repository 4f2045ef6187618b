package io.krunbox.runtime.network;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * krunbox's nftables rules, all in table {@code ip krunbox}, each tagged with a comment
 * ({@code kbnet:BRIDGE} for a network's, by bridge since two homes may each have a network
 * of one name; {@code kbbox:ID} for a box's) so teardown removes
 * exactly what was added.
 */
public final class Nft {
    private static final Pattern HANDLE = Pattern.compile("comment \"([^\"]+)\" # handle (\\d+)");
    private static final Pattern CHAIN = Pattern.compile("^\\s*chain (\\S+) \\{");
    private final HostNet net;

    public Nft(HostNet net) {
        this.net = net;
    }

    private void ensureTable() {
        net.nft("add table ip krunbox");
        net.nft("add chain ip krunbox prerouting { type nat hook prerouting priority -100 ; }");
        net.nft("add chain ip krunbox output { type nat hook output priority -100 ; }");
        net.nft("add chain ip krunbox postrouting { type nat hook postrouting priority 100 ; }");
        net.nft("add chain ip krunbox forward { type filter hook forward priority 0 ; }");
    }

    /** A network's rules: isolation from other krunbox bridges; internal: no way out; else masquerade. */
    public void addNetwork(NetworkStore.NetworkRecord n, boolean uplink) {
        if (!rules("kbnet:" + n.bridge()).isEmpty()) {
            return; // every start of a box brings its network up: one listing when nothing is to be done
        }
        ensureTable();
        String tag = "comment \"kbnet:" + n.bridge() + "\"";
        String br = "\"" + n.bridge() + "\"";
        net.nft("add rule ip krunbox forward iifname " + br + " oifname \"kb-*\" oifname != " + br + " drop " + tag);
        if (n.internal()) {
            net.nft("add rule ip krunbox forward iifname " + br + " oifname != " + br + " drop " + tag);
            net.nft("add rule ip krunbox forward oifname " + br + " iifname != " + br + " drop " + tag);
        } else if (uplink) {
            net.nft("add rule ip krunbox postrouting ip saddr " + n.subnet() + " oifname != " + br + " masquerade " + tag);
        }
    }

    /**
     * A published port in the kernel, as netavark does it: DNAT of traffic from outside
     * (prerouting) and from this namespace's own addresses, 127.0.0.1 included (output), to
     * {@code boxIp:boxPort}; connections from loopback leave with a source the box can answer
     * (masquerade) over a bridge that routes 127.0.0.0/8 ({@code route_localnet}). No process per port.
     */
    public void addPort(String boxId, String bridge, String hostIp, int hostPort, String proto, String boxIp, int boxPort) {
        ensureTable();
        String tag = " comment \"kbbox:" + boxId + "\"";
        String to = proto + " dport " + hostPort + " dnat to " + boxIp + ":" + boxPort + tag;
        boolean any = hostIp.equals("0.0.0.0");
        boolean loopback = any || hostIp.startsWith("127.");
        if (!hostIp.startsWith("127.")) {
            net.nft("add rule ip krunbox prerouting " + (any ? "fib daddr type local" : "ip daddr " + hostIp) + " " + to);
        }
        net.nft("add rule ip krunbox output " + (any ? "fib daddr type local" : "ip daddr " + hostIp) + " " + to);
        if (loopback) {
            net.sysctl("net/ipv4/conf/" + bridge + "/route_localnet", "1");
            net.nft("add rule ip krunbox postrouting ip saddr 127.0.0.0/8 ip daddr " + boxIp + " " + proto + " dport "
                    + boxPort + " masquerade" + tag);
        }
    }

    public void removeNetwork(String bridge) {
        remove("kbnet:" + bridge);
    }

    public void removeBox(String boxId) {
        remove("kbbox:" + boxId);
    }

    private void remove(String tag) {
        for (String[] r : rules(tag)) {
            net.tryNft("delete rule ip krunbox " + r[0] + " handle " + r[1]);
        }
    }

    /** {chain, handle} of every rule carrying {@code tag} (a prefix such as {@code kbbox:} lists all boxes'), from one listing. */
    List<String[]> rules(String tag) {
        List<String[]> out = new ArrayList<>();
        String chain = null;
        for (String line : net.tryNftOutput("-a", "list", "table", "ip", "krunbox").orElse("").split("\n")) {
            Matcher c = CHAIN.matcher(line);
            if (c.find()) {
                chain = c.group(1);
                continue;
            }
            Matcher m = HANDLE.matcher(line);
            if (chain != null && m.find() && (m.group(1).equals(tag) || tag.endsWith(":") && m.group(1).startsWith(tag))) {
                out.add(new String[] {chain, m.group(2)});
            }
        }
        return out;
    }
}
