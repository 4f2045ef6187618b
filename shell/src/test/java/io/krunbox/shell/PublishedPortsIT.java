package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Published ports in the kernel: nftables DNAT from loopback and from the namespace's other
 * addresses, TCP and UDP, with no process per port (the box is krunbox-monitor's, not a JVM's);
 * the rules go with the box, with a killed monitor and with compose down; a host port another
 * program listens on is refused. Everything lives in the test run's network namespace.
 */
class PublishedPortsIT extends SandboxCliTest {
    static final String WEB = "mkdir -p /www && echo served-by-box > /www/index.html && exec httpd -f -p 80 -h /www";
    /** Receives two datagrams on port 53 and prints them (run in the box's network namespace: the box's busybox has no UDP server). */
    static final String UDP_SERVER = "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', 53));"
            + " s.settimeout(10); print(s.recv(100).decode().strip(), flush=True); print(s.recv(100).decode().strip(), flush=True)";

    static HostCommand.Result inNetns(String... cmd) {
        List<String> all = new java.util.ArrayList<>(List.of("ip", "netns", "exec", HostParts.testNetns()));
        all.addAll(List.of(cmd));
        return HostCommand.tryRun(all.toArray(String[]::new));
    }

    static String get(String address, int port) throws InterruptedException {
        HostCommand.Result r = null;
        for (int i = 0; i < 50; i++) {
            r = inNetns("busybox", "wget", "-qO-", "http://" + address + ":" + port + "/");
            if (r.exitCode() == 0) {
                break;
            }
            Thread.sleep(100);
        }
        return r.output();
    }

    String id(String box) throws Exception {
        return ok("inspect", "--format", "{{.Id}}", box).out().strip();
    }

    static Optional<ProcessHandle> monitorOf(String id) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains("krunbox-monitor")
                && c.contains(id)).orElse(false)).findFirst();
    }

    @Test
    void tcpAndUdpReachTheBoxFromLoopbackAndAnotherAddressWithNoProcessPerPort() throws Exception {
        // another address of the test namespace, on a veth pair of its own (this kernel has no dummy links)
        String other = "kpa" + ProcessHandle.current().pid() % 100000;
        HostCommand.run("ip", "-n", HostParts.testNetns(), "link", "add", other, "type", "veth", "peer", "name", other + "b");
        try {
            HostCommand.run("ip", "-n", HostParts.testNetns(), "addr", "add", "10.250.7.1/32", "dev", other);
            HostCommand.run("ip", "-n", HostParts.testNetns(), "link", "set", other, "up");
            HostCommand.run("ip", "-n", HostParts.testNetns(), "link", "set", other + "b", "up");
            ok("run", "-d", "--name", "web", "-p", "18181:80", "-p", "18153:53/udp", "demo", "sh", "-c", WEB);
            assertThat(get("127.0.0.1", 18181)).isEqualTo("served-by-box\n");
            assertThat(get("10.250.7.1", 18181)).isEqualTo("served-by-box\n");
            String id = id("web");
            Process udp = new ProcessBuilder("ip", "netns", "exec", "kb-" + id.substring(0, 12), "python3", "-c", UDP_SERVER)
                    .redirectErrorStream(true).start();
            try {
                Thread.sleep(300);
                for (String to : List.of("127.0.0.1", "10.250.7.1")) {
                    inNetns("python3", "-c", "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'ping-"
                            + to + "', ('" + to + "', 18153))");
                }
                assertThat(udp.waitFor(15, TimeUnit.SECONDS)).isTrue();
                assertThat(new String(udp.getInputStream().readAllBytes())).contains("ping-127.0.0.1", "ping-10.250.7.1");
            } finally {
                udp.destroyForcibly();
            }
            // no forwarder: the box is watched by krunbox-monitor, and nothing listens on the host ports
            assertThat(monitorOf(id)).as("the box's monitor").isPresent();
            assertThat(inNetns("ss", "-lntu").output()).doesNotContain(":18181", ":18153");
            assertThat(NetworkIT.nft()).contains("kbbox:" + id);
            ok("rm", "-f", "web");
            assertThat(NetworkIT.nft()).doesNotContain("kbbox:" + id);
        } finally {
            HostCommand.tryRun("ip", "-n", HostParts.testNetns(), "link", "del", other);
        }
    }

    @Test
    void theRulesGoWhenTheMonitorIsKilledAndAPortAProgramHoldsIsRefused() throws Exception {
        ok("run", "-d", "--name", "w", "-p", "127.0.0.1:18182:80", "demo", "sh", "-c", WEB);
        assertThat(get("127.0.0.1", 18182)).isEqualTo("served-by-box\n");
        String id = id("w");
        ProcessHandle monitor = monitorOf(id).orElseThrow();
        monitor.destroyForcibly();
        monitor.onExit().get(10, TimeUnit.SECONDS);
        assertThat(ok("ps", "-a", "--format", "{{.Names}} {{.Status}}").out()).contains("w Exited");
        assertThat(NetworkIT.nft()).doesNotContain("kbbox:" + id);
        ok("rm", "w");

        Process holder = new ProcessBuilder("ip", "netns", "exec", HostParts.testNetns(), "busybox", "nc", "-l", "-p",
                "18183").start();
        try {
            for (int i = 0; i < 50 && !inNetns("ss", "-lnt").output().contains(":18183"); i++) {
                Thread.sleep(50);
            }
            Cli.Result r = cli.run("run", "-d", "--name", "late", "-p", "18183:80", "demo", "sleep", "60");
            assertThat(r.exit()).isEqualTo(125);
            assertThat(r.err()).contains("host port 0.0.0.0:18183/tcp is in use by another program");
            assertThat(NetworkIT.nft()).doesNotContain("dport 18183");
        } finally {
            holder.destroyForcibly();
        }
    }
}
