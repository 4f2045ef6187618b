package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compose projects run as sandbox boxes through the real CLI, networking inside the test's namespace. */
class ComposeIT extends SandboxCliTest {
    static final Path PROJECTS = Path.of("src/test/resources/compose").toAbsolutePath();
    @TempDir Path work;

    Path project(String name) throws Exception {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        Files.copy(PROJECTS.resolve(name).resolve("compose.yaml"), dir.resolve("compose.yaml"));
        return dir.resolve("compose.yaml");
    }

    @Test
    void aThreeServiceProjectComesUpInOrderTalksByNameAndGoesDownWithoutATrace() throws Exception {
        String f = project("shop").toString();
        String before = HostCommand.run("ip", "-n", HostParts.testNetns(), "-o", "link", "show");
        Cli.Result up = ok("compose", "-f", f, "up", "-d", "--wait");
        // web waited for db's health check: db was started, and healthy, before web
        String err = up.err();
        assertThat(err.indexOf("Box shop-db-1  Started")).isLessThan(err.indexOf("Box shop-web-1  Started"));
        assertThat(ok("inspect", "shop-db-1").out()).contains("\"healthy\"");
        // the servers answer one connection at a time: a client that comes between two tries again
        String ask = "ask() { for i in $(seq 25); do r=$(nc $1 $2 </dev/null) && [ -n \"$r\" ] && echo $r && return; sleep 0.2;"
                + " done; echo no-answer-from-$1; }; ";
        assertThat(ok("exec", "shop-web-1", "sh", "-c", ask + "ask db 5432; ask database 5432; ask kv 6379").out())
                .isEqualTo("db-ok\ndb-ok\nkv-ok\n");
        HostCommand.Result page = HostCommand.tryRun("ip", "netns", "exec", HostParts.testNetns(), "busybox", "wget", "-qO-",
                "http://127.0.0.1:18090/");
        assertThat(page.output()).isEqualTo("web-ok\n");
        assertThat(ok("compose", "-f", f, "ps", "--format", "json").out()).contains("shop-db-1", "shop-kv-1", "shop-web-1");
        assertThat(ok("network", "ls", "-q").out()).contains("shop_backend", "shop_frontend");

        downLeavesNothing(this, f, "shop", before);
    }

    /** {@code down -v} leaves no box, network, volume or box link of the project ({@code linksBefore}: the namespace's links before up). */
    static void downLeavesNothing(SandboxCliTest t, String file, String project, String linksBefore) throws Exception {
        String ids = t.ok("ps", "-aq", "--no-trunc").out();
        t.ok("compose", "-f", file, "down", "-v");
        // the published ports' rules went with the boxes
        String rules = NetworkIT.nft();
        for (String id : ids.split("\\s+")) {
            if (!id.isBlank()) {
                assertThat(rules).doesNotContain("kbbox:" + id);
            }
        }
        assertThat(t.ok("ps", "-aq").out()).isEmpty();
        assertThat(t.ok("network", "ls", "-q").out()).doesNotContain(project + "_");
        assertThat(t.ok("volume", "ls", "-q").out()).doesNotContain(project + "_");
        String links = HostCommand.run("ip", "-n", HostParts.testNetns(), "-o", "link", "show");
        assertThat(links.lines().filter(l -> l.contains("kbv")).count())
                .isEqualTo(linksBefore.lines().filter(l -> l.contains("kbv")).count());
    }

    @Test
    void upTwiceChangesNothingAndAnEditedServiceAloneIsRecreated() throws Exception {
        Path file = project("shop");
        String f = file.toString();
        ok("compose", "-f", f, "up", "-d", "--wait");
        String ids = ok("ps", "-q").out();
        Cli.Result again = ok("compose", "-f", f, "up", "-d");
        assertThat(again.err()).contains("shop-db-1  Running", "shop-kv-1  Running", "shop-web-1  Running")
                .doesNotContain("Recreate");
        assertThat(ok("ps", "-q").out()).isEqualTo(ids);

        Files.writeString(file, Files.readString(file).replace("${GREETING:-hello}", "changed"));
        Cli.Result edited = ok("compose", "-f", f, "up", "-d");
        assertThat(edited.err()).contains("shop-web-1  Recreate", "shop-db-1  Running", "shop-kv-1  Running");
        assertThat(ok("exec", "shop-web-1", "sh", "-c", "echo $GREETING").out()).isEqualTo("changed\n");
        ok("compose", "-f", f, "down", "-v");
    }

    @Test
    void aCompletedDependencyGatesItsDependentsAndReplicasGetTheirOwnBoxes() throws Exception {
        String chain = project("chain").toString();
        ok("compose", "-f", chain, "up", "-d", "--wait");
        assertThat(ok("exec", "chain-app-1", "cat", "/state/done").out()).isEqualTo("migrated\n");
        assertThat(ok("compose", "-f", chain, "ps", "-a", "--format", "json").out()).contains("\"ExitCode\" : 0");
        ok("compose", "-f", chain, "down", "-v");

        String wide = project("wide").toString();
        ok("compose", "-f", wide, "up", "-d");
        assertThat(ok("ps", "-q").out().trim().split("\\s+")).hasSize(2);
        Cli.Result ro = cli.run("exec", "wide-worker-2", "sh", "-c", "touch /x; touch /scratch/y && echo tmpfs-ok");
        assertThat(ro.out()).contains("tmpfs-ok");
        assertThat(ro.err()).contains("Read-only file system");
        ok("compose", "-f", wide, "down");
        assertThat(ok("ps", "-aq").out()).isEmpty();
    }

    @Test
    void configPrintsTheNormalizedModelAndErrorsCarryTheirPosition() throws Exception {
        String f = project("shop").toString();
        Cli.Result config = ok("compose", "-f", f, "config");
        assertThat(config.out()).contains("name: shop", "condition: service_healthy", "interval: 500ms",
                "published: '18090'", "GREETING: hello");
        assertThat(ok("compose", "-f", f, "config", "--services").out()).isEqualTo("db\nkv\nweb\n");
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, "services:\n  app:\n    image: demo\n    ports: [\"80:x\"]\n");
        Cli.Result r = cli.run("compose", "-f", bad.toString(), "config");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains(bad + ":4:13: services.app.ports[0]: invalid port \"80:x\"");
        Cli.Result plan = ok("compose", "-f", f, "up", "--dry-run");
        assertThat(plan.out()).contains("plan: project shop (up)", "box      shop-db-1: create", "box      shop-web-1: create", "network  shop_backend");
        assertThat(plan.out().indexOf("box      shop-db-1: create")).isLessThan(plan.out().indexOf("box      shop-web-1: create"));
    }

    @Test
    void serviceCommandsActOnTheProjectsBoxes() throws Exception {
        String f = project("shop").toString();
        ok("compose", "-f", f, "up", "-d", "--wait");
        assertThat(ok("compose", "-f", f, "exec", "-T", "web", "sh", "-c", "echo $GREETING").out()).isEqualTo("hello\n");
        // as Docker Compose: stdin reaches the command without a terminal; -w and -e as exec's
        Cli.Result piped = cli.run("piped in\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "compose", "-f", f, "exec", "-T", "-w", "/tmp", "-e", "X=1", "web", "sh", "-c", "pwd; echo $X; cat");
        assertThat(piped.exit()).as(piped.err()).isZero();
        assertThat(piped.out()).isEqualTo("/tmp\n1\npiped in\n");
        assertThat(cli.run("compose", "-f", f, "exec", "-T", "web", "sh", "-c", "exit 7").exit()).isEqualTo(7);
        assertThat(ok("compose", "-f", f, "top", "web").out()).startsWith("shop-web-1\n").contains("PID");
        assertThat(ok("compose", "-f", f, "port", "web", "80").out()).isEqualTo("127.0.0.1:18090\n");
        Cli.Result unpublished = cli.run("compose", "-f", f, "port", "web", "81");
        assertThat(unpublished.exit()).isEqualTo(1);
        assertThat(unpublished.err()).contains("no public port '81' published for shop-web-1");
        Cli.Result run = cli.run("compose", "-f", f, "run", "--rm", "kv", "sh", "-c",
                "for i in $(seq 25); do r=$(nc db 5432 </dev/null) && [ -n \"$r\" ] && echo $r && exit 4; sleep 0.2; done; exit 9");
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.out()).isEqualTo("db-ok\n");
        assertThat(ok("compose", "-f", f, "stop", "kv").out()).isEqualTo("shop-kv-1\n");
        assertThat(ok("compose", "-f", f, "ps").out()).doesNotContain("shop-kv-1");
        assertThat(ok("compose", "-f", f, "start", "kv").out()).isEqualTo("shop-kv-1\n");
        assertThat(ok("compose", "-f", f, "ps").out()).contains("shop-kv-1");
        assertThat(ok("compose", "-f", f, "restart", "-t", "1", "kv", "web").out()).isEqualTo("shop-kv-1\nshop-web-1\n");
        assertThat(ok("compose", "-f", f, "ps").out()).contains("shop-kv-1", "shop-web-1");
        assertThat(ok("compose", "-f", f, "images").out()).contains("shop-web-1", "demo");
        ok("compose", "-f", f, "down", "-v");
    }

    /**
     * What {@code up} prints with --dry-run is what it then does: every step, replicas, networks, the secret
     * and config files and the health gate included (in an order the threads chose), and {@code down} likewise.
     */
    @Test
    void upAndDownDoExactlyTheStepsTheirDryRunsPrint() throws Exception {
        Path file = project("gated");
        Files.writeString(file.resolveSibling("token.txt"), "s3cret\n");
        String f = file.toString();
        String printed = ok("compose", "-f", f, "up", "-d", "--wait", "--dry-run").out();
        Cli.Result up = ok("compose", "--progress", "plain", "-f", f, "up", "-d", "--wait");
        assertThat(steps(printed, "^\\s*\\d+ ")).hasSize(49)
                .containsExactlyInAnyOrderElementsOf(steps(up.err(), "^done "));
        assertThat(printed).contains("box      gated-worker-2: create", "wait     gated-store-1: healthy (worker depends on store)",
                "secret   secrets/token: the file " + file.resolveSibling("token.txt"),
                "secret   configs/greeting: written to projects/gated/configs/greeting (21 bytes)",
                "network  gated_front: create", "network  gated_back: create");
        assertThat(ok("exec", "gated-worker-2", "cat", "/greeting").out()).isEqualTo("hello from the config");
        assertThat(ok("exec", "gated-store-1", "cat", "/tmp/token").out()).isEqualTo("s3cret\n");

        String downPlan = ok("compose", "-f", f, "down", "-v", "--dry-run").out();
        Cli.Result down = ok("compose", "--progress", "plain", "-f", f, "down", "-v");
        assertThat(steps(downPlan, "^\\s*\\d+ ")).containsExactlyInAnyOrderElementsOf(steps(down.err(), "^done "))
                .contains("box      gated-worker-1: stop and remove", "network  gated_back: remove (bridge kb-gatedb-<hash>)");
        assertThat(downPlan.indexOf("gated-worker-1: stop")).isLessThan(downPlan.indexOf("gated-store-1: stop"));
        assertThat(ok("ps", "-aq").out()).isEmpty();
    }

    /** The step lines of a plan or of --progress plain, numbers or prefixes cut, ids masked. */
    private java.util.List<String> steps(String text, String prefix) {
        return text.lines().filter(l -> l.matches(prefix + ".*")).map(l -> mask(l.replaceFirst(prefix, ""))).toList();
    }

    private String mask(String s) {
        return s.replaceAll("[0-9a-f]{64}", "<id>").replaceAll("kb-[0-9a-f]{12}", "kb-<short>")
                .replaceAll("/[0-9a-f]{12}", "/<short>").replaceAll("kb([vt])[0-9a-f]{10}", "kb$1<link>")
                .replaceAll("02(:[0-9a-f]{2}){5}", "<mac>").replaceAll("krunbox/[0-9a-f]{12}", "krunbox/<short>")
                .replaceAll("(kb-[a-z]+)-[0-9a-f]{4}\\b", "$1-<hash>");
    }

    /** The dry-run plans of four projects, with what differs per run (ids and what derives from them) masked. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"shop", "chain", "wide", "gated"})
    void dryRunPlansMatchTheirGoldenFiles(String name) throws Exception {
        Path file = project(name);
        Files.writeString(file.resolveSibling("token.txt"), "s3cret\n");
        String f = file.toString();
        String plan = ok("compose", "-f", f, "up", "--dry-run").out()
                .replaceAll("[0-9a-f]{64}", "<id>").replaceAll("kb-[0-9a-f]{12}", "kb-<short>")
                .replaceAll("/[0-9a-f]{12}", "/<short>").replaceAll("kb([vt])[0-9a-f]{10}", "kb$1<link>")
                .replaceAll("02(:[0-9a-f]{2}){5}", "<mac>").replaceAll("krunbox/[0-9a-f]{12}", "krunbox/<short>")
                .replace(work.toString(), "<work>").replace(HostParts.demoImage().toAbsolutePath().toString(), "<demo>")
                .replaceAll("krunbox-\\d+/", "krunbox-<uid>/");
        Path golden = PROJECTS.resolve(name).resolve("plan.golden");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/compose", name, "plan.golden"), plan);
        }
        assertThat(plan).isEqualTo(Files.readString(golden));
    }
}
