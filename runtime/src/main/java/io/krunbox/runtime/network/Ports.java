package io.krunbox.runtime.network;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.PortMapping;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Published ports at create time: {@code -P} expands to the image's exposed ports, a host
 * port of 0 becomes a free one, and a host port another box holds is refused, naming it.
 */
public final class Ports {
    static final int FIRST_EPHEMERAL = 32768;
    static final int LAST_EPHEMERAL = 60999;

    private Ports() {}

    /** @param others the published ports of every other box, by box name */
    public static List<PortMapping> resolve(List<PortMapping> wanted, boolean publishAll, List<String> exposed,
                                            Map<String, List<PortMapping>> others) {
        List<PortMapping> all = new ArrayList<>(wanted);
        if (publishAll) {
            for (String e : exposed) {
                String[] p = e.split("/");
                try {
                    PortMapping m = new PortMapping(null, 0, Integer.parseInt(p[0]), p.length > 1 ? p[1] : "tcp");
                    if (all.stream().noneMatch(w -> w.boxPort() == m.boxPort() && w.protocol().equals(m.protocol()))) {
                        all.add(m);
                    }
                } catch (IllegalArgumentException ignored) {
                    // an exposed port the image spells oddly cannot be published
                }
            }
        }
        List<PortMapping> out = new ArrayList<>();
        for (PortMapping m : all) {
            PortMapping r = m.hostPort() != 0 ? m : new PortMapping(m.hostIp(), freePort(m, others, out), m.boxPort(),
                    m.protocol());
            others.forEach((box, ports) -> {
                for (PortMapping o : ports) {
                    if (o.clashes(r)) {
                        throw new BoxException("host port " + r.hostIp() + ":" + r.hostPort() + "/" + r.protocol()
                                + " is already published by box " + box + ": choose another host port");
                    }
                }
            });
            for (PortMapping o : out) {
                if (o.clashes(r)) {
                    throw new BoxException("host port " + r.hostPort() + "/" + r.protocol() + " is published twice");
                }
            }
            out.add(r);
        }
        return out;
    }

    /**
     * Ports handed out in this JVM for boxes not recorded yet (boxes planned side by side, a
     * topology's replicas, a test's boxes), so two of them never get the same one; kept a minute.
     */
    private static final Map<String, Long> HANDED_OUT = new java.util.concurrent.ConcurrentHashMap<>();

    private static int freePort(PortMapping m, Map<String, List<PortMapping>> others, List<PortMapping> taken) {
        int span = LAST_EPHEMERAL - FIRST_EPHEMERAL + 1;
        // a random place to start: processes choosing at the same moment rarely meet
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
        long now = System.nanoTime();
        HANDED_OUT.values().removeIf(at -> now - at > java.util.concurrent.TimeUnit.MINUTES.toNanos(1));
        for (int i = 0; i < span; i++) {
            int p = FIRST_EPHEMERAL + (start + i) % span;
            PortMapping c = new PortMapping(m.hostIp(), p, m.boxPort(), m.protocol());
            boolean used = taken.stream().anyMatch(c::clashes)
                    || others.values().stream().flatMap(List::stream).anyMatch(c::clashes);
            if (!used && bindable(m.hostIp(), p) && HANDED_OUT.putIfAbsent(m.protocol() + "/" + p, now) == null) {
                return p;
            }
        }
        throw new BoxException("no free host port left for " + m.boxPort() + "/" + m.protocol());
    }

    /**
     * Refuses ports another program already listens on in krunbox's network namespace
     * ({@code netns}; null: this process's): DNAT would take their traffic without a word.
     * Other boxes' ports are refused at create ({@link #resolve}).
     */
    public static void checkUnbound(List<PortMapping> ports, String netns) {
        try (NetnsThread in = new NetnsThread(netns)) {
            for (PortMapping p : ports) {
                boolean free;
                try {
                    free = in.call(() -> {
                        InetSocketAddress at = new InetSocketAddress(p.hostIp(), p.hostPort());
                        try (java.nio.channels.NetworkChannel c = p.protocol().equals("udp")
                                ? java.nio.channels.DatagramChannel.open() : java.nio.channels.ServerSocketChannel.open()) {
                            c.bind(at);
                            return true;
                        } catch (java.net.BindException e) {
                            return false;
                        }
                    }, "check host port " + p.hostPort());
                } catch (IOException e) {
                    throw new BoxException("cannot check host port " + p.hostPort() + "/" + p.protocol() + ": " + e.getMessage());
                }
                if (!free) {
                    throw new BoxException("host port " + p.hostIp() + ":" + p.hostPort() + "/" + p.protocol()
                            + " is in use by another program: stop it, or publish another host port");
                }
            }
        }
    }

    private static boolean bindable(String ip, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(ip, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
