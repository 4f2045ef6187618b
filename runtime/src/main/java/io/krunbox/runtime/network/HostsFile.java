package io.krunbox.runtime.network;

import io.krunbox.runtime.network.NetworkStore.Lease;
import java.io.IOException;
import io.krunbox.runtime.hostfs.InRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A box's {@code /etc/hosts} and {@code /etc/resolv.conf}: every box on its networks by
 * name and alias, {@code host.krunbox.internal} for the gateway, and the extra hosts it
 * asked for. Written into the box's root from the host, so running boxes see changes.
 */
public final class HostsFile {
    private HostsFile() {}

    /** The text of {@code /etc/hosts} for {@code box}, given the leases of every network it is on. */
    public static String render(String boxId, String ownHostname, List<Lease> own, Map<String, List<Lease>> byNetwork,
                                Map<String, String> gateways, List<String> extraHosts) {
        StringBuilder out = new StringBuilder("# written by krunbox: boxes on this box's networks, by name and alias\n");
        out.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (!own.isEmpty()) {
            out.append(gateways.get(own.get(0).network())).append("\thost.krunbox.internal\n");
        }
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (Lease mine : own) {
            for (Lease l : byNetwork.getOrDefault(mine.network(), List.of())) {
                List<String> n = names.computeIfAbsent(l.ip(), k -> new ArrayList<>());
                List<String> all = new ArrayList<>();
                all.add(l.hostname());
                if (l.boxId().equals(boxId) && ownHostname != null && !ownHostname.equals(l.hostname())) {
                    all.add(ownHostname);
                }
                all.addAll(l.aliases());
                for (String a : all) {
                    if (!n.contains(a)) {
                        n.add(a);
                    }
                }
            }
        }
        names.forEach((ip, n) -> out.append(ip).append('\t').append(String.join(" ", n)).append('\n'));
        for (String h : extraHosts) {
            int colon = h.indexOf(':');
            out.append(h.substring(colon + 1)).append('\t').append(h, 0, colon).append('\n');
        }
        return out.toString();
    }

    /** {@code resolv.conf}: the servers asked for, else the host's file (without loopback servers a box cannot reach). */
    public static String resolvConf(List<String> dns) {
        StringBuilder out = new StringBuilder("# written by krunbox\n");
        if (!dns.isEmpty()) {
            dns.forEach(d -> out.append("nameserver ").append(d).append('\n'));
            return out.toString();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                if (!line.matches("\\s*nameserver\\s+(127\\.|::1).*")) {
                    out.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // no host resolver: the box gets none either
        }
        return out.toString();
    }

    /**
     * Writes {@code text} to the box's {@code /etc/NAME} atomically. The path is resolved inside
     * the box's root by the kernel ({@link InRoot}), so an /etc that is a link stays in the box, and
     * a link at NAME is replaced, never followed; several krunbox processes may refresh one box at
     * once, each through its own temporary file.
     */
    public static void write(Path root, String name, String text, boolean running) throws IOException {
        if (!running) {
            // nothing of the box runs: the same walk in plain Java (no JNA set-up for each start)
            new io.krunbox.runtime.hostfs.IdleRoot(root).writeFile("/etc/" + name,
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0644);
            return;
        }
        try (InRoot box = InRoot.open(root)) {
            if (!box.isDirectory("/etc")) {
                box.makeDirectories("/etc");
            }
            box.writeFile("/etc/" + name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0644);
        }
    }
}
