package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bridge networks through the real CLI (sandbox): names, aliases, isolation, connect and
 * disconnect, published ports, IPAM. Every bridge, link and rule lives in the test run's
 * network namespace ({@link HostParts#testNetns()}), and traffic stays inside it.
 */
class NetworkIT extends SandboxCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ECHO = "while true; do nc -l -p 7000 -e cat; done";
    @AfterEach
    void networksAndLinksAreGone() throws Exception {
        for (String id : cli.run("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                cli.run("rm", "-f", id);
            }
        }
        assertThat(cli.leftovers()).isEmpty();
        for (String n : cli.run("network", "ls", "-q").out().split("\\s+")) {
            if (!n.isBlank()) {
                assertThat(cli.run("network", "rm", n).exit()).isZero();
            }
        }
        assertThat(links()).as("links left in the test namespace").isEmpty();
    }

    /** The box-side links (veth/TAP) in the test namespace. */
    static List<String> links() {
        List<String> out = new ArrayList<>();
        for (String line : HostCommand.run("ip", "-n", HostParts.testNetns(), "-o", "link", "show").split("\n")) {
            String name = line.split(":\\s+")[1].split("@")[0];
            if (name.startsWith("kbv") || name.startsWith("kbt")) {
                out.add(name);
            }
        }
        return out;
    }

    /** The short socket links of this user's boxes. */
    static List<String> sockets() throws java.io.IOException {
        Path dir = Path.of("/tmp/krunbox-" + new com.sun.security.auth.module.UnixSystem().getUid());
        if (!java.nio.file.Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = java.nio.file.Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String nft() {
        return HostCommand.tryRun("ip", "netns", "exec", HostParts.testNetns(), "nft", "list", "ruleset").output();
    }

    /** {@code network inspect NAME} in {@code home}'s krunbox, which must succeed. */
    static JsonNode network(Cli home, String name) throws Exception {
        Cli.Result r = home.run("network", "inspect", name);
        assertThat(r.exit()).as("network inspect %s: %s", name, r.err()).isZero();
        return JSON.readTree(r.out()).get(0);
    }

    /** GET http://127.0.0.1:PORT/ from the host side of the test namespace, tried for up to 5 s; what came back. */
    static String fetch(int port) throws InterruptedException {
        HostCommand.Result r = null;
        for (int i = 0; i < 50; i++) {
            r = HostCommand.tryRun("ip", "netns", "exec", HostParts.testNetns(), "busybox", "wget", "-qO-",
                    "http://127.0.0.1:" + port + "/");
            if (r.exitCode() == 0) {
                break;
            }
            Thread.sleep(100);
        }
        return r.output();
    }

    /** Sends a line to NAME:7000 from inside {@code box}; what came back (empty when unreachable). */
    String echo(String box, String host) throws Exception {
        return cli.run("exec", box, "sh", "-c", "echo hello-" + host + " | timeout 3 nc " + host + " 7000").out().strip();
    }

    @Test
    void boxesOnOneNetworkReachEachOtherByNameAndAliasAndConnectDisconnectChangeThatWhileRunning() throws Exception {
        ok("network", "create", "--subnet", "10.91.0.0/24", "front");
        ok("network", "create", "back");
        ok("run", "-d", "--name", "server", "--network", "front", "--network-alias", "echo-svc", "demo", "sh", "-c", ECHO);
        ok("run", "-d", "--name", "peer", "--network", "front", "demo", "sleep", "600");
        ok("run", "-d", "--name", "outsider", "--network", "back", "demo", "sleep", "600");

        assertThat(echo("peer", "server")).isEqualTo("hello-server");
        assertThat(echo("peer", "echo-svc")).isEqualTo("hello-echo-svc");
        String serverIp = network(cli, "front").get("Boxes").findValues("Name")
                .stream().anyMatch(n -> n.asText().equals("server")) ? ip("front", "server") : null;
        assertThat(serverIp).startsWith("10.91.0.");
        assertThat(echo("outsider", "server")).as("no name on another network").isEmpty();
        assertThat(echo("outsider", serverIp)).as("no route to another network").isEmpty();

        ok("network", "connect", "--alias", "late", "front", "outsider");
        assertThat(echo("outsider", "server")).isEqualTo("hello-server");
        assertThat(cli.run("exec", "peer", "cat", "/etc/hosts").out()).as("the others learn the new name")
                .containsPattern("10\\.91\\.0\\.\\d+\\s+outsider late");
        ok("network", "disconnect", "front", "outsider");
        assertThat(echo("outsider", serverIp)).isEmpty();
        assertThat(cli.run("exec", "peer", "cat", "/etc/hosts").out()).doesNotContain("outsider").contains("server echo-svc");
    }

    String ip(String network, String box) throws Exception {
        for (JsonNode e : network(cli, network).get("Boxes")) {
            if (e.get("Name").asText().equals(box)) {
                return e.get("IPv4Address").asText().split("/")[0];
            }
        }
        throw new AssertionError(box + " is not on " + network);
    }

    @Test
    void aPublishedPortReachesTheBoxFromTheHostAndASecondClaimIsRefusedAtCreate() throws Exception {
        ok("run", "-d", "--name", "web", "-p", "127.0.0.1:18080:80", "demo", "sh", "-c",
                "mkdir -p /www && echo served-by-box > /www/index.html && exec httpd -f -p 80 -h /www");
        // the host side of the test namespace: its loopback, where krunbox listens
        assertThat(fetch(18080)).contains("served-by-box");
        assertThat(ok("port", "web").out()).contains("80/tcp -> 127.0.0.1:18080");

        Cli.Result clash = cli.run("create", "--name", "web2", "-p", "18080:80", "demo", "true");
        assertThat(clash.exit()).isEqualTo(125);
        assertThat(clash.err()).contains("18080").contains("web");
        assertThat(cli.run("ps", "-a").out()).doesNotContain("web2");
    }

    @Test
    void twentyNineConcurrentBoxesFillASlash27AndTheThirtiethIsRefused() throws Exception {
        ok("network", "create", "--subnet", "10.92.0.0/27", "small");
        List<CompletableFuture<Cli.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            String name = "b" + i;
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return cli.run("create", "--name", name, "--network", "small", "demo", "true");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Cli.Result> r : runs) {
            assertThat(r.join().exit()).as(r.join().err()).isZero();
        }
        JsonNode boxes = network(cli, "small").get("Boxes");
        Set<String> ips = new HashSet<>();
        boxes.forEach(b -> ips.add(b.get("IPv4Address").asText()));
        assertThat(ips).hasSize(29).doesNotContain("10.92.0.1/27", "10.92.0.0/27", "10.92.0.31/27");

        Cli.Result full = cli.run("create", "--name", "b29", "--network", "small", "demo", "true");
        assertThat(full.exit()).isEqualTo(125);
        assertThat(full.err()).contains("network small is full");

        String freed3 = ip("small", "b3");
        String freed7 = ip("small", "b7");
        ok("rm", "b3", "b7");
        ok("create", "--name", "again", "--network", "small", "demo", "true");
        assertThat(ip("small", "again")).isIn(freed3, freed7);
    }

    @Test
    void anAutomaticSubnetAvoidsOnesAlreadyRoutedHereEvenByAnotherHome(@org.junit.jupiter.api.io.TempDir Path otherHome)
            throws Exception {
        // another krunbox home (or podman, whose default is 10.88.0.0/16 too) already has a bridge here
        Cli other = new Cli(otherHome);
        assertThat(other.run("network", "create", "elsewhere").exit()).isZero();
        try {
            JsonNode theirs = network(other, "elsewhere");
            ok("network", "create", "mine");
            JsonNode mine = network(cli, "mine");
            assertThat(mine.get("IPAM").get("Config").get(0).get("Subnet").asText())
                    .isNotEqualTo(theirs.get("IPAM").get("Config").get(0).get("Subnet").asText());
        } finally {
            other.run("network", "rm", "elsewhere");
        }
    }

    @Test
    void twoHomesWithANetworkOfTheSameNameGetBridgesOfTheirOwn(@org.junit.jupiter.api.io.TempDir Path otherHome)
            throws Exception {
        Cli other = new Cli(otherHome);
        assertThat(other.run("network", "create", "shared").exit()).isZero();
        try {
            ok("network", "create", "shared");
            JsonNode theirs = network(other, "shared");
            JsonNode mine = network(cli, "shared");
            assertThat(mine.get("Bridge").asText()).isNotEqualTo(theirs.get("Bridge").asText());
            // and a box on mine is reachable from the host side through its published port
            ok("run", "-d", "--name", "web", "--network", "shared", "-p", "127.0.0.1:18081:80", "demo", "sh", "-c",
                    "mkdir -p /www && echo mine > /www/index.html && exec httpd -f -p 80 -h /www");
            assertThat(fetch(18081)).isEqualTo("mine\n");
        } finally {
            other.run("network", "rm", "shared");
        }
    }

    @Test
    void invalidSubnetsAreRefusedWithTheReason() throws Exception {
        ok("network", "create", "--subnet", "10.93.0.0/24", "taken");
        String[][] cases = {
            {"0.0.0.0/0", "/0"}, {"10.94.0.0/31", "no room"}, {"10.93.0.128/25", "overlaps network taken"},
            {"10.94.0.0", "CIDR"}, {"10.94.300.0/24", "not an IPv4 address"}, {"10.94.0.1/24", "host bits"}};
        for (String[] c : cases) {
            Cli.Result r = cli.run("network", "create", "--subnet", c[0], "bad");
            assertThat(r.exit()).as(c[0]).isEqualTo(125);
            assertThat(r.err()).as(c[0]).contains(c[1]);
        }
        assertThat(ok("network", "ls", "-q").out()).doesNotContain("bad");
        assertThat(cli.run("network", "create", "--subnet", "10.95.0.0/24", "--gateway", "10.96.0.1", "bad").err())
                .contains("not a host address");
    }

    @Test
    void aNetworkInUseIsRemovedOnlyWithForce() throws Exception {
        ok("network", "create", "busy");
        ok("create", "--name", "holder", "--network", "busy", "demo", "true");
        Cli.Result r = cli.run("network", "rm", "busy");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("in use by holder");
        ok("network", "rm", "-f", "busy");
    }

    @Test
    void fiftyCreateStartRemoveCyclesLeaveNoLinkRuleLeaseOrVolume() throws Exception {
        ok("network", "create", "cycles");
        ok("run", "--rm", "--network", "cycles", "-v", "keep:/data", "demo", "true");
        String rulesBefore = nft();
        List<String> linksBefore = links();
        String netnsBefore = HostCommand.run("ip", "netns", "list");
        String volumesBefore = ok("volume", "ls", "-q").out();
        List<String> socketsBefore = sockets();
        for (int i = 0; i < 50; i++) {
            ok("run", "--rm", "--network", "cycles", "-p", "127.0.0.1:" + (19000 + i) + ":80", "-v", "keep:/data",
                    "-v", "/anon", "--tmpfs", "/scratch", "demo", "sh", "-c", "echo " + i + " >> /data/log");
        }
        assertThat(links()).isEqualTo(linksBefore);
        assertThat(nft()).isEqualTo(rulesBefore);
        assertThat(HostCommand.run("ip", "netns", "list")).isEqualTo(netnsBefore);
        assertThat(ok("volume", "ls", "-q").out()).isEqualTo(volumesBefore);
        assertThat(sockets()).as("socket links").isEqualTo(socketsBefore);
        assertThat(network(cli, "cycles").get("Boxes").size()).isZero();
        assertThat(ok("run", "--rm", "-v", "keep:/data", "--network", "none", "demo", "wc", "-l", "/data/log").out())
                .contains("50");
    }
}
