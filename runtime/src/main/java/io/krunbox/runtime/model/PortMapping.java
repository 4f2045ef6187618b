package io.krunbox.runtime.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One published port, {@code -p [HOST_IP:]HOST_PORT:BOX_PORT[/tcp|udp]}. A host port of 0
 * means "any free port" ({@code -p 80}, {@code -P}).
 */
public record PortMapping(String hostIp, int hostPort, int boxPort, String protocol) {
    public PortMapping {
        hostIp = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("port protocol \"" + protocol + "\" is neither tcp nor udp");
        }
        if (hostPort < 0 || hostPort > 65535 || boxPort < 1 || boxPort > 65535) {
            throw new IllegalArgumentException("ports must be between 1 and 65535 (host port 0: any free port)");
        }
    }

    /** Parses one {@code -p} value; a range ({@code 8000-8002:80-82}) gives one mapping per port. */
    public static List<PortMapping> parse(String text) {
        String spec = text.trim();
        String proto = "tcp";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1);
            spec = spec.substring(0, slash);
        }
        String hostIp = null;
        String host;
        String box;
        int last = spec.lastIndexOf(':');
        if (last < 0) {
            host = "";
            box = spec;
        } else {
            box = spec.substring(last + 1);
            String rest = spec.substring(0, last);
            int ipEnd = rest.lastIndexOf(':');
            if (ipEnd >= 0) {
                hostIp = rest.substring(0, ipEnd);
                host = rest.substring(ipEnd + 1);
            } else if (rest.contains(".")) {
                hostIp = rest;
                host = "";
            } else {
                host = rest;
            }
        }
        if (hostIp != null && !hostIp.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw bad(text, "host address \"" + hostIp + "\" is not an IPv4 address");
        }
        try {
            int[] b = range(box);
            int[] h = host.isEmpty() ? new int[] {0, 0} : range(host);
            int count = b[1] - b[0] + 1;
            if (!host.isEmpty() && h[1] - h[0] + 1 != count) {
                throw bad(text, "the host range and the box range differ in size");
            }
            List<PortMapping> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(new PortMapping(hostIp, host.isEmpty() ? 0 : h[0] + i, b[0] + i, proto));
            }
            return out;
        } catch (NumberFormatException e) {
            throw bad(text, "a port is not a number");
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("invalid port")) {
                throw e;
            }
            throw bad(text, e.getMessage());
        }
    }

    private static int[] range(String s) {
        int dash = s.indexOf('-');
        int lo = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
        int hi = dash < 0 ? lo : Integer.parseInt(s.substring(dash + 1));
        if (hi < lo) {
            throw new IllegalArgumentException("port range " + s + " ends before it starts");
        }
        return new int[] {lo, hi};
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("invalid port \"" + text + "\": " + why
                + " (use [HOST_IP:]HOST_PORT:BOX_PORT[/tcp|udp], e.g. 127.0.0.1:8080:80)");
    }

    /** Whether two mappings want the same host socket. */
    public boolean clashes(PortMapping o) {
        return hostPort != 0 && hostPort == o.hostPort && protocol.equals(o.protocol)
                && (hostIp.equals(o.hostIp) || hostIp.equals("0.0.0.0") || o.hostIp.equals("0.0.0.0"));
    }

    @Override
    public String toString() {
        return boxPort + "/" + protocol + " -> " + hostIp + ":" + hostPort;
    }
}
