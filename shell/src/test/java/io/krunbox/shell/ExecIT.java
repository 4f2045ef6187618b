package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code krunbox exec} into a running sandbox box, over guest-init's exec protocol. */
class ExecIT {
    @TempDir static Path home;
    static Cli cli;

    @BeforeAll
    static void box() throws Exception {
        HostParts.sandbox();
        cli = new Cli(home);
        Cli.Result r = cli.run("run", "-d", "--isolation", "sandbox", "--name", "target", "-e", "FROM_BOX=yes",
                "-w", "/srv", "demo", "sleep", "600");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @AfterAll
    static void remove() throws Exception {
        if (cli != null) {
            cli.run("rm", "-f", "target");
            assertThat(cli.leftovers()).isEmpty();
        }
    }

    @Test
    void outputErrorsAndTheExitCodeComeBackSeparately() throws Exception {
        Cli.Result r = cli.run("exec", "target", "sh", "-c", "echo out; echo err >&2; exit 9");
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
        assertThat(r.exit()).isEqualTo(9);
    }

    @Test
    void stdinIsStreamedAndItsEndForwarded() throws Exception {
        Process p = cli.start("exec", "-i", "target", "sh", "-c", "cat; echo done");
        p.getOutputStream().write("line one\nline two\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("EOF reached the command").isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("line one\nline two\ndone\n");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void theBoxsEnvAndWorkdirAreTheDefaultsAndFlagsOverrideThem() throws Exception {
        assertThat(cli.run("exec", "target", "sh", "-c", "echo $FROM_BOX $(pwd) $(id -u)").out())
                .isEqualTo("yes /srv 0\n");
        assertThat(cli.run("exec", "-e", "FROM_BOX=no", "-w", "/tmp", "-u", "nobody", "target", "sh", "-c",
                "echo $FROM_BOX $(pwd) $(id -u)").out()).isEqualTo("no /tmp 65534\n");
    }

    @Test
    void aCommandThatFillsItsOutputBeforeReadingItsInputDoesNotDeadlock() throws Exception {
        // 4 MiB out before the command reads any of the 4 MiB pushed in: guest-init must keep reading both ways
        Process p = cli.start("exec", "-i", "target", "sh", "-c",
                "dd if=/dev/zero bs=65536 count=64 2>/dev/null; wc -c; echo done >&2");
        Thread feeder = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                byte[] chunk = new byte[65536];
                for (int i = 0; i < 64; i++) {
                    in.write(chunk);
                }
            } catch (java.io.IOException ignored) {
                // the command ended
            }
        });
        feeder.start();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("no deadlock").isTrue();
        byte[] bytes = out.get(10, TimeUnit.SECONDS);
        assertThat(bytes.length).isEqualTo(4 * 1048576 + "4194304\n".length());
        assertThat(new String(bytes, 4 * 1048576, bytes.length - 4 * 1048576, StandardCharsets.UTF_8)).isEqualTo("4194304\n");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void aUserWithAnEmptyGroupIsRefusedNotGroupZero() throws Exception {
        Cli.Result r = cli.run("exec", "-u", "1000:", "target", "id", "-g");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("user \"1000:\" is not in the box's /etc/passwd or /etc/group");
    }

    @Test
    void aMissingCommandIs127AndAMissingUser125() throws Exception {
        Cli.Result missing = cli.run("exec", "target", "no-such-command");
        assertThat(missing.exit()).isEqualTo(127);
        assertThat(missing.err()).contains("cannot run \"no-such-command\": No such file or directory");
        Cli.Result user = cli.run("exec", "-u", "ghost", "target", "true");
        assertThat(user.exit()).isEqualTo(125);
        assertThat(user.err()).contains("user \"ghost\" is not in the box's /etc/passwd");
    }

    @Test
    void twentyExecsAtOnceAllReturnTheirOwnOutputAndCode() throws Exception {
        List<CompletableFuture<Cli.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return cli.run("exec", "target", "sh", "-c", "sleep 0.2; echo exec-" + n + "; exit " + n);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < 20; i++) {
            Cli.Result r = runs.get(i).get();
            assertThat(r.out()).isEqualTo("exec-" + i + "\n");
            assertThat(r.exit()).isEqualTo(i);
        }
    }

    @Test
    void withTtyTheCommandRunsOnATerminalInTheBox() throws Exception {
        // script(1) gives the CLI a real pseudo-terminal, as a user's shell would
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = String.join(" ", java, "-Dkrunbox.demo.image=" + HostParts.demoImage().toAbsolutePath(), "-cp",
                Cli.productClassPath(), Main.class.getName(), "exec", "-it", "target", "sh", "-c",
                "'tty; stty size; exit 4'");
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", cmd, "/dev/null");
        pb.environment().put("KRUNBOX_HOME", home.toString());
        pb.environment().put("KRUNBOX_NETNS", HostParts.testNetns());
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("/dev/pts/");
        assertThat(out).containsPattern("\\d+ \\d+");
        assertThat(p.exitValue()).as(out).isEqualTo(4);
    }

    @Test
    void aDetachedExecReturnsAtOnceAndItsCommandLivesOn() throws Exception {
        long start = System.nanoTime();
        Cli.Result r = cli.run("exec", "-d", "target", "sh", "-c", "sleep 2; echo $FROM_BOX > /tmp/detached");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(java.time.Duration.ofMillis(1900).toNanos());
        String seen = "";
        for (int i = 0; i < 60 && seen.isEmpty(); i++) {
            Thread.sleep(100);
            seen = cli.run("exec", "target", "sh", "-c", "cat /tmp/detached 2>/dev/null").out();
        }
        assertThat(seen).isEqualTo("yes\n");
        Cli.Result missing = cli.run("exec", "-d", "target", "no-such-command");
        assertThat(missing.exit()).isEqualTo(127);
    }

    @Test
    void execIntoABoxThatIsNotRunningIsRefused() throws Exception {
        cli.run("run", "--isolation", "sandbox", "--name", "done", "demo", "true");
        Cli.Result r = cli.run("exec", "done", "true");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("box done is not running (exited): start it first (`krunbox start done`)");
        cli.run("rm", "done");
    }
}
