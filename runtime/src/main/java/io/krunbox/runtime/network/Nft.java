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

    /** DNAT of outside traffic to a published port (loopback is the forwarder's). */
    public void addPort(String boxId, String hostIp, int hostPort, String proto, String boxIp, int boxPort) {
        ensureTable();
        String match = hostIp.equals("0.0.0.0") ? "fib daddr type local ip daddr != 127.0.0.0/8" : "ip daddr " + hostIp;
        net.nft("add rule ip krunbox prerouting " + match + " " + proto + " dport " + hostPort + " dnat to " + boxIp
                + ":" + boxPort + " comment \"kbbox:" + boxId + "\"");
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
