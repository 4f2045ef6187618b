package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native client and the warm server: what a call sees (stdio, exit codes, signals, the
 * terminal, its own environment and directory), and the server's life (started on demand,
 * replaced for another build, gone when idle, killed mid-call, other users refused).
 */
class ServerIT {
    @TempDir Path home;
    @TempDir Path work;

    @BeforeAll
    static void sandbox() {
        HostParts.sandbox();
    }

    @AfterEach
    void cleanUp() throws Exception {
        Cli cli = new Cli(home);
        for (String id : cli.run("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                cli.run("rm", "-f", id);
            }
        }
        cli.run("server", "stop");
        assertThat(cli.leftovers()).isEmpty();
    }

    /** The pid of the home's server, started by a call first if none runs (a first call runs in a JVM of its own). */
    static long serverPid(Cli cli) throws Exception {
        cli.run("ps");
        Cli.Result r = cli.run("server", "status", "--format", "json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        Matcher m = Pattern.compile("\"Pid\":(\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void outputStdinAndExitCodesAreThoseOfAProcessOfItsOwn() throws Exception {
        for (Cli cli : List.of(new Cli(home), new Cli(home).with("KRUNBOX_SERVER", "0"))) {
            Process p = cli.start("run", "--rm", "-i", "demo", "sh", "-c", "cat; echo err >&2; exit 3");
            p.getOutputStream().write("piped in\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            CompletableFuture<String> out = Cli.read(p, true);
            CompletableFuture<String> err = Cli.read(p, false);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out.join()).isEqualTo("piped in\n");
            assertThat(err.join()).contains("err\n").doesNotContain("Exception");
            assertThat(p.exitValue()).isEqualTo(3);
            Cli.Result bad = cli.run("no-such-command");
            assertThat(bad.exit()).isEqualTo(125);
            assertThat(bad.err()).contains("no-such-command");
        }
        assertThat(new Cli(home).run("server", "status").out()).contains("pid ");
        // the status call is the one connected, and working, call
        assertThat(new Cli(home).run("server", "status", "--format", "json").out())
                .contains("\"Active\":1", "\"Working\":1", "\"IdleExit\":\"PT30S\"");
    }

    @Test
    void aClosedStdoutEndsTheCallAsItEndsAProcess() throws Exception {
        List<Integer> codes = new ArrayList<>();
        for (Cli cli : List.of(new Cli(home), new Cli(home).with("KRUNBOX_SERVER", "0"))) {
            Process p = cli.start("run", "--rm", "demo", "sh", "-c", "yes krunbox | head -c 3000000");
            p.getInputStream().close(); // the reader is gone before the writer starts
            CompletableFuture<String> err = Cli.read(p, false);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the call ended").isTrue();
            assertThat(err.join()).doesNotContain("Exception");
            codes.add(p.exitValue());
        }
        assertThat(codes.get(0)).as("client and JVM of its own alike").isEqualTo(codes.get(1));
    }

    @Test
    void ctrlCDuringRunStopsTheBoxAndEndsTheCall() throws Exception {
        Cli cli = new Cli(home);
        Process p = cli.start("run", "--rm", "--name", "long", "demo", "sleep", "600");
        for (int i = 0; i < 100 && !cli.run("ps", "-q", "--filter", "name=long").out().strip().matches("[0-9a-f]+"); i++) {
            Thread.sleep(100);
        }
        HostCommand.run("kill", "-INT", Long.toString(p.pid()));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("Ctrl-C ended the call").isTrue();
        assertThat(p.exitValue()).isNotZero();
        for (int i = 0; i < 100 && !cli.run("ps", "-aq").out().isBlank(); i++) {
            Thread.sleep(100);
        }
        assertThat(cli.run("ps", "-aq").out()).as("the --rm box is gone").isBlank();
    }

    @Test
    void ctrlCDuringPullEndsTheCallAndLeavesNoHalfWrittenBlob() throws Exception {
        // a registry that accepts and never answers: the pull waits until interrupted
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Cli cli = new Cli(home).with("KRUNBOX_INSECURE_REGISTRIES", "127.0.0.1:" + silent.getLocalPort());
            Process p = cli.start("pull", "127.0.0.1:" + silent.getLocalPort() + "/never:1");
            try (java.net.Socket accepted = silent.accept()) {
                HostCommand.run("kill", "-INT", Long.toString(p.pid()));
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("Ctrl-C ended the pull").isTrue();
                assertThat(p.exitValue()).isEqualTo(130);
            }
            assertThat(cli.run("images", "-q").out()).isBlank();
            Path blobs = home.resolve("blobs");
            if (Files.isDirectory(blobs)) {
                try (var all = Files.walk(blobs)) {
                    assertThat(all.filter(Files::isRegularFile).toList()).isEmpty();
                }
            }
        }
    }

    @Test
    void thirtyCallsAtOnce() throws Exception {
        Cli cli = new Cli(home);
        cli.run("ps");
        serverPid(cli); // the server is up
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            runs.add(cli.start("run", "-d", "--name", "many-" + i, "demo", "sleep", "600"));
        }
        List<Process> reads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            reads.add(cli.start("ps", "-a", "--format", "json"));
        }
        Set<String> ids = new HashSet<>();
        for (Process p : runs) {
            CompletableFuture<String> out = Cli.read(p, true);
            CompletableFuture<String> err = Cli.read(p, false);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(err.join()).isZero();
            ids.add(out.join().strip());
        }
        for (Process p : reads) {
            CompletableFuture<String> out = Cli.read(p, true);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out.join()).startsWith("[");
        }
        assertThat(ids).hasSize(20).allMatch(id -> id.matches("[0-9a-f]{64}"));
        assertThat(cli.run("ps", "-q").out().strip().split("\n")).hasSize(20);
    }

    @Test
    void aServerKilledMidCallIsReportedAndTheNextCallStartsANewOneWithStateIntact() throws Exception {
        Cli cli = new Cli(home);
        assertThat(cli.run("run", "-d", "--name", "survivor", "demo", "sleep", "600").exit()).isZero();
        long first = serverPid(cli);
        Process p = cli.start("exec", "survivor", "sleep", "600");
        Thread.sleep(1000);
        HostCommand.run("kill", "-KILL", Long.toString(first));
        CompletableFuture<String> err = Cli.read(p, false);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(125);
        assertThat(err.join()).contains("the server ended during the call").doesNotContain("Exception");
        Cli.Result ps = cli.run("ps", "--format", "{{.Names}} {{.Status}}");
        assertThat(ps.out()).as("the box outlived the server").contains("survivor Up");
        assertThat(serverPid(cli)).isNotEqualTo(first);
    }

    @Test
    void aServerOfAnotherBuildIsReplaced() throws Exception {
        Cli cli = new Cli(home);
        long first = serverPid(cli);
        Path id = Cli.launcher().resolveSibling("krunbox-jvm.id");
        String before = Files.readString(id);
        try {
            Files.writeString(id, "rebuilt-" + System.nanoTime() + "\n");
            assertThat(cli.run("ps").exit()).isZero();
            long second = serverPid(cli);
            assertThat(second).isNotEqualTo(first);
            for (int i = 0; i < 100 && ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false); i++) {
                Thread.sleep(100);
            }
            assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).as("the old server exited").isFalse();
        } finally {
            Files.writeString(id, before);
        }
    }

    @Test
    void anIdleServerExits() throws Exception {
        Cli cli = new Cli(home).with("KRUNBOX_SERVER_IDLE", "1s");
        cli.run("server", "stop");
        assertThat(cli.run("ps").exit()).isZero();
        long pid = serverPid(cli);
        for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(cli.run("server", "status").out()).startsWith("no server");
        assertThat(cli.run("ps").exit()).isZero();
    }

    @Test
    void anotherUserIsRefused() throws Exception {
        Cli cli = new Cli(home);
        serverPid(cli);
        Path socket = socketOf(cli);
        // uid 65534 with only the right to pass the 0700 directory: the server itself must say no
        String probe = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\n"
                + "data=b''\nwhile True:\n    c=s.recv(4096)\n    if not c: break\n    data+=c\n"
                + "sys.stdout.write(repr(data))\n";
        Path py = Files.writeString(work.resolve("probe.py"), probe);
        HostCommand.Result r = HostCommand.tryRun("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                "--inh-caps", "+dac_read_search,+dac_override", "--ambient-caps", "+dac_read_search,+dac_override",
                "python3", py.toString(), socket.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("serves only its own user").contains("X\\x00\\x00\\x00\\x04\\x00\\x00\\x00}");
    }

    static Path socketOf(Cli cli) throws Exception {
        Matcher m = Pattern.compile("\"Socket\":\"([^\"]+)\"").matcher(cli.run("server", "status", "--format", "json").out());
        assertThat(m.find()).isTrue();
        return Path.of(m.group(1));
    }

    @Test
    void concurrentCallsEachSeeTheirOwnEnvironmentDirectoryAndHome(@TempDir Path otherHome) throws Exception {
        Path a = Files.createDirectories(work.resolve("a"));
        Path b = Files.createDirectories(work.resolve("b"));
        Files.writeString(a.resolve("vars.env"), "WHERE=a\n");
        Files.writeString(b.resolve("vars.env"), "WHERE=b\n");
        List<Process> calls = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boolean first = i % 2 == 0;
            Cli cli = new Cli(home).with("MINE", "call-" + i);
            ProcessBuilder pb = builder(cli, first ? a : b, "run", "--rm", "--env-file", "vars.env", "-e", "MINE", "demo",
                    "sh", "-c", "sleep 0.5; echo $WHERE $MINE");
            calls.add(pb.start());
            expected.add((first ? "a" : "b") + " call-" + i + "\n");
        }
        Cli mine = new Cli(home);
        Cli theirs = new Cli(otherHome);
        assertThat(mine.run("run", "-d", "--name", "in-mine", "demo", "sleep", "600").exit()).isZero();
        try {
            assertThat(theirs.run("run", "-d", "--name", "in-theirs", "demo", "sleep", "600").exit()).isZero();
            seeTheirOwn(calls, expected, mine, theirs);
        } finally {
            theirs.run("rm", "-f", "in-theirs");
            mine.run("rm", "-f", "in-mine");
            theirs.run("server", "stop");
        }
        assertThat(theirs.leftovers()).isEmpty();
    }

    private static void seeTheirOwn(List<Process> calls, List<String> expected, Cli mine, Cli theirs) throws Exception {
        for (int i = 0; i < calls.size(); i++) {
            Process p = calls.get(i);
            CompletableFuture<String> out = Cli.read(p, true);
            CompletableFuture<String> err = Cli.read(p, false);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out.join()).as(err.join()).isEqualTo(expected.get(i));
        }
        assertThat(mine.run("ps", "--format", "{{.Names}}").out()).isEqualTo("in-mine\n");
        assertThat(theirs.run("ps", "--format", "{{.Names}}").out()).isEqualTo("in-theirs\n");
        assertThat(serverPid(mine)).isNotEqualTo(serverPid(theirs));
    }

    /** A test's temporary home is removed right after its last call: a server starting then leaves it removed. */
    @Test
    void aHomeEmptiedWhileItsServerStartsIsLeftEmpty() throws Exception {
        Cli cli = new Cli(home);
        assertThat(cli.run("ps").exit()).isZero(); // the first call: a JVM of its own, then a server starts
        try (var all = Files.walk(home)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(home)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Thread.sleep(4000);
        try (var left = Files.list(home)) {
            assertThat(left.map(Path::toString).toList()).isEmpty();
        }
        assertThat(cli.run("server", "status").out()).startsWith("no server");
    }

    @Test
    void filesMadeForTheCallerHaveTheModeItsUmaskGives() throws Exception {
        Cli cli = new Cli(home);
        assertThat(cli.run("create", "--name", "to-export", "demo", "true").exit()).isZero();
        for (Cli c : List.of(cli, new Cli(home).with("KRUNBOX_SERVER", "0"))) {
            for (String umask : List.of("027", "002")) {
                Path out = work.resolve("export-" + umask + "-" + c.environment().getOrDefault("KRUNBOX_SERVER", "1") + ".tar");
                ProcessBuilder pb = builder(c, work, "export", "-o", out.toString(), "to-export");
                List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + umask + "; exec \"$0\" \"$@\""));
                cmd.addAll(pb.command());
                Process p = pb.command(cmd).redirectErrorStream(true).start();
                CompletableFuture<String> said = Cli.read(p, true);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(said.join()).isZero();
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                        .as("umask %s, %s", umask, c.environment()).isEqualTo(umask.equals("027") ? "rw-r-----" : "rw-rw-r--");
            }
        }
    }

    /** The client started in {@code dir} (a call's working directory). */
    static ProcessBuilder builder(Cli cli, Path dir, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder();
        List<String> cmd = new ArrayList<>(List.of(Cli.client().toString()));
        cmd.addAll(List.of(args));
        pb.command(cmd).directory(dir.toFile());
        pb.environment().putAll(cli.environment());
        return pb;
    }

    @Test
    void execItGetsTheRealTerminalAndItsSize() throws Exception {
        io.krunbox.runtime.testing.Require.part("sandbox", HostCommand.tryRun("tmux", "-V").exitCode() == 0,
                "tmux is missing (apt-get install tmux)");
        Cli cli = new Cli(home);
        assertThat(cli.run("run", "-d", "--name", "tty", "demo", "sleep", "600").exit()).isZero();
        String session = "kbserver" + ProcessHandle.current().pid();
        StringBuilder env = new StringBuilder();
        cli.environment().forEach((k, v) -> env.append(k).append("='").append(v).append("' "));
        HostCommand.run("tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30",
                env.toString() + Cli.client() + " exec -it tty sh; echo EXITED=$?; sleep 60");
        try {
            await(session, s -> s.contains("/ #"), "the box's prompt");
            HostCommand.run("tmux", "send-keys", "-t", session, "-l", "stty size; echo in-$((6*7))");
            HostCommand.run("tmux", "send-keys", "-t", session, "Enter");
            await(session, s -> s.contains("30 100") && s.contains("in-42"), "the size and the output");
            HostCommand.run("tmux", "resize-window", "-t", session, "-x", "90", "-y", "20");
            Thread.sleep(500);
            HostCommand.run("tmux", "send-keys", "-t", session, "-l", "stty size");
            HostCommand.run("tmux", "send-keys", "-t", session, "Enter");
            await(session, s -> s.contains("20 90"), "the new size");
            HostCommand.run("tmux", "send-keys", "-t", session, "-l", "exit 4");
            HostCommand.run("tmux", "send-keys", "-t", session, "Enter");
            await(session, s -> s.contains("EXITED=4"), "the exit code");
        } finally {
            HostCommand.tryRun("tmux", "kill-session", "-t", session);
        }
    }

    static void await(String session, java.util.function.Predicate<String> until, String what) throws InterruptedException {
        String s = "";
        for (int i = 0; i < 200; i++) {
            s = HostCommand.run("tmux", "capture-pane", "-p", "-t", session, "-S", "-100");
            if (until.test(s)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen never showed " + what + ":\n" + s);
    }
}
