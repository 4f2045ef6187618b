package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.testing.HostParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boxes that live: detached runs, their states, logs and supervisors, through the real CLI (sandbox). */
class LifecycleIT extends SandboxCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void pruneKeptLogs() throws Exception {
        cli.run("prune");
    }

    JsonNode inspect(String box) throws Exception {
        return JSON.readTree(cli.run("inspect", box).out()).get(0);
    }

    String state(String box) throws Exception {
        return inspect(box).get("State").get("Status").asText();
    }

    @Test
    void createStartStopRestartKillWaitRenameRemove() throws Exception {
        Cli.Result created = cli.run("create", "--isolation", "sandbox", "--name", "life", "demo", "sh", "-c",
                "trap 'echo term; exit 3' TERM; echo up; while true; do sleep 1; done");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out().trim()).matches("[0-9a-f]{64}");
        assertThat(state("life")).isEqualTo("created");

        assertThat(cli.run("start", "life").exit()).isZero();
        assertThat(state("life")).isEqualTo("running");
        assertThat(inspect("life").get("State").get("Pid").asLong()).isPositive();
        assertThat(cli.run("ps", "-q").out().trim()).isEqualTo(created.out().trim().substring(0, 12));

        assertThat(cli.run("stop", "-t", "5", "life").exit()).isZero();
        assertThat(state("life")).isEqualTo("exited");
        assertThat(inspect("life").get("State").get("ExitCode").asInt()).isEqualTo(3);
        assertThat(cli.run("logs", "life").out()).isEqualTo("up\nterm\n");

        Cli.Result restarted = cli.run("restart", "life", "no-such-box");
        assertThat(restarted.exit()).as("one of two failed").isEqualTo(1);
        assertThat(restarted.out()).isEqualTo("life\n");
        assertThat(restarted.err()).contains("no-such-box").doesNotContain("Exception");
        assertThat(state("life")).isEqualTo("running");
        Cli.Result two = cli.run("start", "-a", "life", "renamed");
        assertThat(two.exit()).isEqualTo(125);
        assertThat(two.err()).contains("start -a takes one box");
        assertThat(cli.run("kill", "life").exit()).isZero();
        assertThat(cli.run("wait", "life").out()).isEqualTo("137\n");
        assertThat(cli.run("ps").out()).doesNotContain("life");
        assertThat(cli.run("ps", "-a").out()).contains("Exited (137)");

        assertThat(cli.run("rename", "life", "renamed").exit()).isZero();
        assertThat(cli.run("inspect", "life").exit()).isEqualTo(1);
        assertThat(cli.run("kill", "renamed").err()).contains("box renamed is not running");
        assertThat(cli.run("rm", "renamed").out()).isEqualTo("renamed\n");
        assertThat(cli.run("ps", "-aq").out()).isEmpty();

        List<String> actions = new ArrayList<>();
        for (String line : cli.run("events", "--no-follow", "--format", "json").out().split("\n")) {
            actions.add(JSON.readTree(line).get("action").asText());
        }
        // restart found the box already exited: only its start is recorded
        assertThat(actions).containsExactly("create", "start", "stop", "die", "start", "kill", "die", "rename", "destroy");
        assertThat(cli.run("events", "--no-follow", "--filter", "event=die").out())
                .contains("box die").contains("exitCode=3").contains("exitCode=137");
    }

    @Test
    void labelsAndEnvFilesReachTheBoxAndPsFiltersByLabel() throws Exception {
        Path envFile = home.resolve("app.env");
        Files.writeString(envFile, "# settings\nMODE=test\n\nGREETING=hello world\n");
        Cli.Result r = cli.run("run", "-d", "--name", "labelled", "-l", "team=core", "-l", "tier",
                "--env-file", envFile.toString(), "demo", "sleep", "60");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(cli.run("create", "--name", "other", "-l", "team=edge", "demo", "true").exit()).isZero();
        assertThat(cli.run("ps", "-a", "--filter", "label=team=core", "--format", "json").out()).contains("labelled")
                .doesNotContain("other");
        assertThat(cli.run("ps", "-a", "--filter", "label=team", "-q").out().trim().split("\\s+")).hasSize(2);
        assertThat(cli.run("ps", "-a", "--filter", "label=tier", "-q").out().trim().split("\\s+")).hasSize(1);
        // newest first, as Docker lists them; --last, --latest, --no-trunc
        String otherId = inspect("other").get("Id").asText();
        assertThat(cli.run("ps", "-a", "-q").out()).startsWith(otherId.substring(0, 12) + "\n");
        assertThat(cli.run("ps", "-l", "-q", "--no-trunc").out()).isEqualTo(otherId + "\n");
        assertThat(cli.run("ps", "-n", "2", "--format", "{{.Names}}").out()).isEqualTo("other\nlabelled\n");
        assertThat(cli.run("ps", "-a", "--no-trunc", "--filter", "name=labelled").out()).contains("\"sleep 60\"")
                .contains(inspect("labelled").get("Id").asText());
        assertThat(inspect("labelled").get("Config").get("labels").get("team").asText()).isEqualTo("core");
        assertThat(cli.run("exec", "labelled", "sh", "-c", "echo \"$MODE|$GREETING\"").out()).isEqualTo("test|hello world\n");
        Files.writeString(envFile, "BAD LINE\n");
        Cli.Result bad = cli.run("run", "--rm", "--env-file", envFile.toString(), "demo", "true");
        assertThat(bad.exit()).isEqualTo(125);
        assertThat(bad.err()).contains(envFile + ":1").contains("not KEY=VALUE");
    }

    @Test
    void aRunningBoxIsRemovedOnlyWithForce() throws Exception {
        cli.run("run", "-d", "--isolation", "sandbox", "--name", "busy", "demo", "sleep", "600");
        Cli.Result refused = cli.run("rm", "busy");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("box busy is running: stop it first, or use rm -f");
        // Go templates as in Docker's scripts
        assertThat(cli.run("inspect", "busy", "--format", "{{.State.Status}} {{.Config.command}}").out())
                .isEqualTo("running sleep,600\n");
        assertThat(cli.run("ps", "--filter", "name=busy", "--format", "table {{.Names}}\\t{{.State}}").out()).isEqualTo("NAMES\tSTATE\nbusy\trunning\n");
        // flags after the box name, as Docker takes them
        assertThat(cli.run("rm", "busy", "-f").exit()).isZero();
        assertThat(cli.run("ps", "-aq").out()).isEmpty();
    }

    @Test
    void aDetachedBoxOutlivesTheCommandAndItsNameIsUnique() throws Exception {
        Cli.Result r = cli.run("run", "-d", "--isolation", "sandbox", "--name", "solo", "demo", "sleep", "600");
        assertThat(r.exit()).isZero();
        assertThat(state("solo")).isEqualTo("running");
        Cli.Result again = cli.run("run", "-d", "--isolation", "sandbox", "--name", "solo", "demo", "true");
        assertThat(again.exit()).isEqualTo(125);
        assertThat(again.err()).contains("the box name \"solo\" is already in use by box " + r.out().substring(0, 12));
    }

    @Test
    void logsFilterByTailAndTimeAndSurviveRemoval() throws Exception {
        cli.run("run", "--isolation", "sandbox", "--name", "talker", "demo", "sh", "-c",
                "echo oops >&2; sleep 0.2; for i in 1 2 3 4 5; do echo line$i; done");
        assertThat(cli.run("logs", "talker").out()).isEqualTo("line1\nline2\nline3\nline4\nline5\n");
        assertThat(cli.run("logs", "talker").err()).isEqualTo("oops\n");
        assertThat(cli.run("logs", "--tail", "2", "talker").out()).isEqualTo("line4\nline5\n");
        assertThat(cli.run("logs", "--tail", "2", "talker").err()).isEmpty();
        assertThat(cli.run("logs", "-t", "talker").out()).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z line1$");
        assertThat(cli.run("logs", "--since", Instant.now().plusSeconds(60).toString(), "talker").out()).isEmpty();
        assertThat(cli.run("logs", "--since", "10m", "talker").out()).contains("line1", "line5");

        Cli.Result rm = cli.run("run", "--rm", "--isolation", "sandbox", "--name", "brief", "demo", "sh", "-c",
                "echo still here; exit 6");
        assertThat(rm.exit()).isEqualTo(6);
        assertThat(cli.run("ps", "-a").out()).doesNotContain("brief");
        assertThat(cli.run("logs", "brief").out()).isEqualTo("still here\n");
        cli.run("prune");
        assertThat(cli.run("logs", "brief").exit()).isEqualTo(125);
    }

    @Test
    void aKilledSupervisorLeavesTheBoxExitedWithAReasonAndNothingBehind() throws Exception {
        cli.run("run", "-d", "--isolation", "sandbox", "--name", "victim", "demo", "sleep", "600");
        long supervisor = inspect("victim").get("State").get("SupervisorPid").asLong();
        ProcessHandle.of(supervisor).orElseThrow().destroyForcibly(); // SIGKILL
        long start = System.nanoTime();
        JsonNode state = inspect("victim").get("State");
        assertThat((System.nanoTime() - start) / 1_000_000).as("reported at the next command").isLessThan(5_000);
        assertThat(state.get("Status").asText()).isEqualTo("exited");
        assertThat(state.get("Reason").asText()).isEqualTo("its supervisor (pid " + supervisor
                + ") ended without recording the box's end");
        assertThat(cli.run("ps", "-a").out()).contains("Exited (137)");
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(home.toString()));
        // crash recovery took its network link and namespace down too
        String id = inspect("victim").get("Id").asText();
        assertThat(Path.of("/run/netns/kb-" + id.substring(0, 12))).doesNotExist();
        assertThat(io.krunbox.runtime.base.HostCommand.run("ip", "-n", HostParts.testNetns(), "-o", "link", "show"))
                .doesNotContain(io.krunbox.runtime.wiring.BoxWiring.linkName(io.krunbox.runtime.model.Isolation.SANDBOX, id,
                        "krunbox"));
    }

    @Test
    void aPlainDetachedBoxIsWatchedByTheSmallMonitorAndItsEndIsRecorded() throws Exception {
        Cli.Result r = cli.run("run", "-d", "--isolation", "sandbox", "--name", "watched", "demo", "sh", "-c",
                "echo up; sleep 4; echo down >&2; exit 3"); // alive while its monitor is looked at, even on a busy host
        assertThat(r.exit()).as(r.err()).isZero();
        long monitor = inspect("watched").get("State").get("SupervisorPid").asLong();
        assertThat(ProcessHandle.of(monitor).flatMap(h -> h.info().commandLine()).orElse(""))
                .contains(home + "/bin/krunbox-monitor-");
        assertThat(rssKib(monitor)).as("the monitor's resident memory, KiB").isLessThan(4096);
        assertThat(cli.run("wait", "watched").out()).isEqualTo("3\n");
        JsonNode state = inspect("watched").get("State");
        assertThat(state.get("Status").asText()).isEqualTo("exited");
        assertThat(state.get("ExitCode").asInt()).isEqualTo(3);
        Cli.Result logs = cli.run("logs", "-t", "watched");
        assertThat(logs.out()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z up\n");
        assertThat(logs.err()).endsWith(" down\n");
        assertThat(cli.leftovers()).noneMatch(l -> l.startsWith("process") || l.startsWith("mount"));
        // only KRUNBOX_MONITOR=0 asks for the supervisor JVM
        assertThat(cli.with("KRUNBOX_MONITOR", "0").run("run", "-d", "--isolation", "sandbox", "--name", "jvm", "demo",
                "sleep", "60").exit()).isZero();
        long supervisor = inspect("jvm").get("State").get("SupervisorPid").asLong();
        assertThat(ProcessHandle.of(supervisor).flatMap(h -> h.info().commandLine()).orElse(""))
                .contains("io.krunbox.runtime.launch.BoxSupervisor");
        assertThat(cli.run("rm", "-f", "watched", "jvm").exit()).isZero();
    }

    @Test
    void aBoxWithAHealthCheckARestartPolicyAndTwoPortsHasOnlyTheSmallMonitor() throws Exception {
        Cli.Result r = cli.run("run", "-d", "--isolation", "sandbox", "--name", "svc", "--restart", "always",
                "-p", "127.0.0.1:18191:80", "-p", "127.0.0.1:18192:81/udp", "--health-cmd", "echo probed; test -f /tmp/ok",
                "--health-interval", "200ms", "--health-retries", "2", "demo", "sh", "-c",
                "touch /tmp/ok; echo run; sleep 600");
        assertThat(r.exit()).as(r.err()).isZero();
        String id = inspect("svc").get("Id").asText();
        assertThat(awaitHealth("svc", "healthy")).isTrue();
        long monitor = inspect("svc").get("State").get("SupervisorPid").asLong();
        assertThat(ProcessHandle.of(monitor).flatMap(h -> h.info().commandLine()).orElse(""))
                .contains(home + "/bin/krunbox-monitor-");
        assertThat(rssKib(monitor)).as("the monitor's resident memory, KiB").isLessThan(1024);
        // Docker's State.Health: the last results with their output, at most five
        Thread.sleep(1500);
        JsonNode log = inspect("svc").get("State").get("Health").get("Log");
        assertThat(log.size()).isBetween(1, 5);
        assertThat(log.get(log.size() - 1).get("ExitCode").asInt()).isZero();
        assertThat(log.get(log.size() - 1).get("Output").asText()).isEqualTo("probed\n");
        assertThat(cli.run("exec", "svc", "rm", "/tmp/ok").exit()).isZero();
        assertThat(awaitHealth("svc", "unhealthy")).isTrue();
        // the workload ends: the monitor has the box set up again and started under a new monitor
        long init = inspect("svc").get("State").get("Pid").asLong();
        ProcessHandle.of(init).orElseThrow().destroyForcibly();
        long again = 0;
        for (int i = 0; i < 100 && again == 0; i++) {
            JsonNode s = inspect("svc");
            if (s.get("RestartCount").asInt() == 1 && s.get("State").get("Status").asText().equals("running")) {
                again = s.get("State").get("SupervisorPid").asLong();
            }
            Thread.sleep(100);
        }
        assertThat(again).as("restarted").isNotZero().isNotEqualTo(monitor);
        assertThat(awaitHealth("svc", "healthy")).as("the new run is checked too").isTrue();
        assertThat(NetworkIT.nft()).contains("kbbox:" + id);
        // a monitor killed with SIGKILL: the box is reported exited with the reason, and not restarted
        ProcessHandle.of(again).orElseThrow().destroyForcibly();
        JsonNode state = inspect("svc").get("State");
        assertThat(state.get("Status").asText()).isEqualTo("exited");
        assertThat(state.get("Reason").asText()).contains("its supervisor (pid " + again + ") ended");
        assertThat(NetworkIT.nft()).doesNotContain("kbbox:" + id);
        assertThat(cli.run("rm", "svc").exit()).isZero();
    }

    @Test
    void eventsFollowSeesAWatchedBoxEndWithNoOtherCommand() throws Exception {
        Process events = cli.start("events", "--filter", "event=die");
        try {
            assertThat(cli.run("run", "-d", "--isolation", "sandbox", "--name", "brief-watch", "demo", "sleep", "1")
                    .exit()).isZero();
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return new java.io.BufferedReader(new java.io.InputStreamReader(events.getInputStream())).readLine();
                } catch (IOException e) {
                    return e.toString();
                }
            });
            assertThat(line.get(15, java.util.concurrent.TimeUnit.SECONDS)).contains("box die").contains("name=brief-watch");
        } finally {
            events.destroyForcibly();
        }
        assertThat(cli.run("rm", "brief-watch").exit()).isZero();
    }

    @Test
    void severalBoxesStopAtOnceAndAreReportedInTheOrderGiven() throws Exception {
        for (String name : List.of("slow-a", "slow-b", "slow-c")) {
            // each ignores SIGTERM: only the SIGKILL after the 2 s grace ends it
            assertThat(cli.run("run", "-d", "--isolation", "sandbox", "--name", name, "demo", "sh", "-c",
                    "trap '' TERM; while true; do sleep 1; done").exit()).isZero();
        }
        long start = System.nanoTime();
        Cli.Result stop = cli.run("stop", "-t", "2", "slow-a", "nosuch", "slow-b", "slow-c");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("three 2 s grace periods at once, not one after another").isLessThan(5000);
        assertThat(stop.out()).isEqualTo("slow-a\nslow-b\nslow-c\n");
        assertThat(stop.err()).contains("no such box: nosuch");
        assertThat(stop.exit()).isEqualTo(1);
        assertThat(cli.run("ps", "-q").out()).isEmpty();
        assertThat(cli.run("rm", "slow-a", "slow-b", "slow-c").out()).isEqualTo("slow-a\nslow-b\nslow-c\n");
    }

    /**
     * Boxes restarted side by side: one thread's look at the state may record another's box ended
     * and take its rootfs and links down; that box's start must wait for that, not mount over it.
     */
    @Test
    void boxesRestartedTogetherAllComeBackWhole() throws Exception {
        List<String> names = List.of("again-a", "again-b", "again-c", "again-d");
        for (String name : names) {
            assertThat(cli.run("run", "-d", "--isolation", "sandbox", "--name", name, "demo", "sleep", "600").exit()).isZero();
        }
        for (int round = 1; round <= 3; round++) {
            List<String> argv = new ArrayList<>(List.of("restart", "-t", "1"));
            argv.addAll(names);
            Cli.Result r = cli.run(argv.toArray(String[]::new));
            assertThat(r.exit()).as("round %d: %s", round, r.err()).isZero();
            for (String name : names) {
                assertThat(state(name)).as("round %d: %s (%s)", round, name, inspect(name).get("State")).isEqualTo("running");
                assertThat(cli.run("exec", name, "test", "-x", "/bin/sh").exit()).as("round %d: %s has its rootfs", round, name)
                        .isZero();
            }
        }
        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        rm.addAll(names);
        assertThat(cli.run(rm.toArray(String[]::new)).exit()).isZero();
    }

    private static long rssKib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }

    @Test
    void twentyBoxesStartedConcurrentlyBySeparateProcessesAreAllThere() throws Exception {
        List<CompletableFuture<Cli.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return cli.run("run", "-d", "--isolation", "sandbox", "demo", "true");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Set<String> ids = new HashSet<>();
        for (var f : runs) {
            Cli.Result r = f.get();
            assertThat(r.exit()).as(r.err()).isZero();
            ids.add(r.out().trim());
        }
        assertThat(ids).hasSize(20);
        JsonNode all = JSON.readTree(cli.run("ps", "-a", "--format", "json").out());
        Set<String> names = new HashSet<>();
        all.forEach(b -> names.add(b.get("Names").get(0).asText()));
        assertThat(all.size()).isEqualTo(20);
        assertThat(names).hasSize(20);
    }

    @Test
    void stopSendsTheBoxsOwnStopSignalAndUlimitsHoldForTheWorkloadAndExecs() throws Exception {
        Cli.Result r = cli.run("run", "-d", "--isolation", "sandbox", "--name", "graceful", "--stop-signal", "SIGUSR1",
                "--stop-timeout", "5", "--ulimit", "nofile=123:456", "demo", "sh", "-c",
                "trap 'echo got-usr1; exit 7' USR1; echo limits $(ulimit -n) $(ulimit -Hn); while :; do sleep 0.1; done");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(cli.run("exec", "graceful", "sh", "-c", "ulimit -n").out()).isEqualTo("123\n");
        JsonNode config = inspect("graceful").get("Config");
        assertThat(config.get("stop").get("signal").asText()).isEqualTo("USR1");
        assertThat(config.get("ulimits").get(0).toString()).isEqualTo("{\"name\":\"nofile\",\"soft\":123,\"hard\":456}");
        long t0 = System.nanoTime();
        assertThat(cli.run("stop", "graceful").exit()).isZero();
        // the workload's trap ran (not SIGKILL at the end of the grace period)
        assertThat(System.nanoTime() - t0).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
        assertThat(inspect("graceful").get("State").get("ExitCode").asInt()).isEqualTo(7);
        assertThat(cli.run("logs", "graceful").out()).contains("limits 123 456", "got-usr1");

        Cli.Result bad = cli.run("run", "--rm", "--isolation", "sandbox", "--ulimit", "nofile=9:1", "demo", "true");
        assertThat(bad.exit()).isEqualTo(125);
        assertThat(bad.err()).contains("ulimit nofile: the soft limit 9 is above the hard limit 1");
        Cli.Result badSignal = cli.run("run", "--rm", "--isolation", "sandbox", "--stop-signal", "WINCH", "demo", "true");
        assertThat(badSignal.exit()).isEqualTo(125);
        assertThat(badSignal.err()).contains("stop signal \"WINCH\" cannot stop a box");
    }

    @Test
    void aHealthCheckFlipsTheBoxToUnhealthy() throws Exception {
        // the check runs as the box's own processes do: its environment and working directory
        cli.run("run", "-d", "--isolation", "sandbox", "--name", "checked", "-e", "MARK=/tmp/ok", "-w", "/tmp",
                "--health-cmd", "test -f \"$MARK\" && test \"$(pwd)\" = /tmp",
                "--health-interval", "300ms", "--health-retries", "2", "demo", "sh", "-c",
                "touch /tmp/ok; sleep 8; rm /tmp/ok; sleep 600"); // healthy long enough for a slow ps
        assertThat(awaitHealth("checked", "healthy")).isTrue();
        assertThat(cli.run("ps").out()).contains("(healthy)");
        assertThat(awaitHealth("checked", "unhealthy")).isTrue();
        assertThat(cli.run("ps").out()).contains("(unhealthy)");
        assertThat(inspect("checked").get("State").get("Health").get("FailingStreak").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aLinkTheBoxPutsInPlaceOfItsExecSocketIsNeverFollowedToAnotherHostSocket() throws Exception {
        // the box's socket directory is writable inside it: it swaps its exec socket for a link to a host socket
        Path hostSocket = home.resolve("host.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(hostSocket));
            server.configureBlocking(false);
            assertThat(cli.run("run", "-d", "--isolation", "sandbox", "--name", "swapper", "-v", home + ":/hosthome:ro",
                    "--health-cmd", "true", "--health-interval", "200ms", "--health-retries", "1", "demo", "sh", "-c",
                    "sleep 1; rm -f /.krunbox/sock/exec.sock; ln -s /hosthome/host.sock /.krunbox/sock/exec.sock;"
                            + " sleep 600").exit()).isZero();
            assertThat(awaitHealth("swapper", "unhealthy")).isTrue();
            JsonNode log = inspect("swapper").get("State").get("Health").get("Log");
            assertThat(log.get(log.size() - 1).get("Output").asText()).contains("not a socket");
            Cli.Result exec = cli.run("exec", "swapper", "true");
            assertThat(exec.exit()).isEqualTo(125);
            assertThat(exec.err()).contains("is not a socket");
            assertThat(server.accept()).as("no connection reached the host's socket").isNull();
        }
        assertThat(cli.run("rm", "-f", "swapper").exit()).isZero();
    }

    @Test
    void theStartIntervalChecksOftenInTheStartPeriodUntilTheFirstSuccess() throws Exception {
        assertThat(cli.run("run", "-d", "--isolation", "sandbox", "--name", "quick", "--health-cmd", "true",
                "--health-interval", "1h", "--health-start-period", "1m", "--health-start-interval", "200ms",
                "demo", "sleep", "600").exit()).isZero();
        assertThat(awaitHealth("quick", "healthy")).as("healthy long before the hour's interval").isTrue();
        assertThat(cli.run("rm", "-f", "quick").exit()).isZero();
    }

    boolean awaitHealth(String box, String status) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode h = inspect(box).get("State").get("Health");
            if (h != null && h.get("Status").asText().equals(status)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void onFailure3RestartsExactlyThreeTimes() throws Exception {
        Cli.Result r = cli.run("run", "--isolation", "sandbox", "--name", "flaky", "--restart", "on-failure:3", "demo",
                "sh", "-c", "echo attempt; exit 3");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("attempt\n".repeat(4));
        assertThat(inspect("flaky").get("RestartCount").asInt()).isEqualTo(3);
        assertThat(state("flaky")).isEqualTo("exited");
    }

    @Test
    void aStoppedBoxIsNotRestartedEvenWithAlways() throws Exception {
        cli.run("run", "-d", "--isolation", "sandbox", "--name", "steady", "--restart", "always", "demo", "sleep", "600");
        assertThat(cli.run("stop", "-t", "2", "steady").exit()).isZero();
        Thread.sleep(1000);
        assertThat(state("steady")).isEqualTo("exited");
        assertThat(inspect("steady").get("RestartCount").asInt()).isZero();
    }

    @Test
    void aBoxRemovedWithForceIsNotRestartedByItsMonitorsLastCall() throws Exception {
        cli.run("run", "-d", "--isolation", "sandbox", "--name", "persistent", "--restart", "always", "demo", "sleep", "600");
        assertThat(cli.run("rm", "-f", "persistent").exit()).isZero();
        Thread.sleep(1500); // what the ended monitor might have started has had its time
        assertThat(cli.run("ps", "-a", "-q").out()).isBlank();
        assertThat(cli.leftovers()).noneMatch(l -> l.startsWith("process"));
    }

    @Test
    void cgroupLimitsHoldAndStatsReportThem() throws Exception {
        io.krunbox.runtime.testing.Require.part("cgroups", io.krunbox.runtime.limits.BoxCgroup.available(),
                "this host has no cgroup v1 memory, pids and cpu controllers (BoxCgroup knows v1 only)");
        Cli.Result forks = cli.run("run", "--rm", "--isolation", "sandbox", "--pids-limit", "5", "demo", "sh", "-c",
                "for i in 1 2 3 4 5 6 7; do sleep 2 & done; wait");
        assertThat(forks.err()).contains("can't fork");
        cli.run("run", "-d", "--isolation", "sandbox", "--name", "measured", "--memory", "96m", "demo", "sleep", "600");
        JsonNode stats = JSON.readTree(cli.run("stats", "--no-stream", "--format", "json", "measured").out()).get(0);
        assertThat(stats.get("MemLimit").asLong()).isEqualTo(96L << 20);
        assertThat(stats.get("PIDs").asLong()).isBetween(1L, 5L);
        assertThat(stats.get("CPUPerc").asText()).endsWith("%");
        cli.run("rm", "-f", "measured");
        assertThat(cli.run("ps", "-aq").out()).isEmpty();
        try (var dirs = java.nio.file.Files.list(Path.of("/sys/fs/cgroup/memory/krunbox"))) {
            assertThat(dirs.filter(java.nio.file.Files::isDirectory)).isEmpty();
        }
    }

    @Test
    void aDeepKrunboxHomeWorks() throws Exception {
        Path deep = home.resolve("d".repeat(60)).resolve("e".repeat(60)).resolve("f".repeat(60)).resolve("g".repeat(40));
        assertThat(deep.toString().length()).isGreaterThan(200);
        Cli deepCli = new Cli(deep);
        Cli.Result r = deepCli.run("run", "--rm", "--isolation", "sandbox", "demo", "echo", "deep");
        assertThat(r.out()).as(r.err()).isEqualTo("deep\n");
        Cli.Result d = deepCli.run("run", "-d", "--isolation", "sandbox", "--name", "deep", "demo", "sleep", "600");
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(deepCli.run("stop", "-t", "1", "deep").exit()).isZero();
        assertThat(deepCli.run("rm", "deep").exit()).isZero();
        assertThat(deepCli.leftovers()).isEmpty();
    }
}
