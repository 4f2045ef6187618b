package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code krunbox run --isolation sandbox} end to end: the real CLI, bwrap, overlayfs and guest-init. */
class RunSandboxIT {
    @TempDir Path home;
    Cli cli;

    @BeforeAll
    static void needsSandbox() {
        HostParts.sandbox();
    }

    @BeforeEach
    void cli() {
        cli = new Cli(home);
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        assertThat(cli.leftovers()).isEmpty();
    }

    @Test
    void echoHelloPrintsHello() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "demo", "echo", "hello");
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(r.exit()).isZero();
    }

    @Test
    void theDefaultIsolationOnAHostWithoutABootableVmIsSandboxWithANotice() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/module/kvm_pvm")),
                "this host's KVM can boot a VM, so the default is vm");
        Cli.Result r = cli.run("run", "--rm", "demo", "echo", "hello");
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(r.err()).contains("krunbox: using --isolation sandbox: this host's KVM is PVM");
    }

    @Test
    void theWorkloadsExitCodeIsKrunboxsExitCode() throws Exception {
        assertThat(cli.run("run", "--rm", "--isolation", "sandbox", "demo", "sh", "-c", "exit 7").exit()).isEqualTo(7);
    }

    @Test
    void aWorkloadKilledBySigkillReports137() throws Exception {
        assertThat(cli.run("run", "--rm", "--isolation", "sandbox", "demo", "sh", "-c", "kill -9 $$").exit())
                .isEqualTo(137);
    }

    @Test
    void envWorkdirUserAndHostnameReachTheWorkload() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "-e", "GREETING=hi there", "-w", "/srv/app",
                "-u", "nobody", "--hostname", "box1", "demo", "sh", "-c",
                "echo \"$GREETING|$(pwd)|$(id -u):$(id -g)|$(hostname)|$HOME\"");
        assertThat(r.out()).isEqualTo("hi there|/srv/app|65534:65534|box1|/home\n");
        assertThat(r.exit()).isZero();
    }

    @Test
    void guestInitIsPid1AndReapsOrphanedZombies() throws Exception {
        // the subshell exits at once, orphaning sleep to PID 1, which must reap it when it ends
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "demo", "sh", "-c",
                "(sleep 0.1 &); sleep 1; ps -o pid,stat,comm");
        assertThat(r.out()).containsPattern("(?m)^ +1 +S +init$").doesNotContain(" Z ").doesNotContain("sleep");
    }

    @Test
    void stdoutAndStderrStaySeparate() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "demo", "sh", "-c", "echo out; echo err >&2");
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
    }

    @Test
    void theBoxNameIsTheDefaultHostname() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "--name", "web-1", "demo", "hostname");
        assertThat(r.out()).isEqualTo("web-1\n");
    }

    @Test
    void entrypointReplacesTheImagesCommand() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "--entrypoint", "echo", "demo", "a", "b");
        assertThat(r.out()).isEqualTo("a b\n");
    }

    @Test
    void sigtermToKrunboxRunReachesTheWorkloadAndTheBoxEndsCleanly() throws Exception {
        Process p = cli.start("run", "--rm", "--isolation", "sandbox", "demo", "sh", "-c",
                "trap 'echo got TERM; exit 3' TERM; echo ready; sleep 600 & wait");
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> err = Cli.read(p, false);
        assertThat(out.readLine()).isEqualTo("ready");
        p.toHandle().destroy(); // SIGTERM, keeping our end of the pipes open
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out.readLine()).isEqualTo("got TERM");
        assertThat(p.exitValue()).as(err.join()).isEqualTo(3);
    }

    @Test
    void withoutRmTheBoxIsKeptButNothingIsMounted() throws Exception {
        Cli.Result r = cli.run("run", "--isolation", "sandbox", "demo", "sh", "-c", "echo kept > /data.txt");
        assertThat(r.exit()).isZero();
        try (var boxes = Files.list(home.resolve("boxes"))) {
            Path box = boxes.findFirst().orElseThrow();
            assertThat(box.resolve("upper/data.txt")).hasContent("kept");
            assertThat(box.resolve("logs/console.log")).exists();
            io.krunbox.oci.layer.LayerUnpacker.deleteTree(box);
        }
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() throws Exception {
        Cli.Result r = cli.run("run", "--dry-run", "--isolation", "sandbox", "--name", "planned", "demo", "echo", "hi");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("plan: box planned (sandbox)\n")
                .contains(" image    demo -> sha256:", " rootfs   overlay lower=layers/", " network  krunbox: ",
                        " links    veth kbv", " process  nsenter --net=/run/netns/kb-", " bwrap --bind boxes/");
        assertThat(cli.leftovers()).isEmpty(); // no box directory, mount or process
        assertThat(cli.run("images", "-q").out()).isEmpty();
    }

    @Test
    void anImageThatCannotBePulledIsOurErrorWith125() throws Exception {
        // port 1 on loopback: refused at once, and no traffic leaves the machine
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "127.0.0.1:1/nosuchimage:1", "true");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("krunbox: image \"127.0.0.1:1/nosuchimage:1\" is not held here and could not be"
                + " pulled: cannot fetch manifest 1 of 127.0.0.1:1/nosuchimage after 4 attempts: connection refused");
    }

    @Test
    void anInvalidImageReferenceNamesTheBadPart() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "Bad_Name", "true");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("invalid image reference \"Bad_Name\": \"Bad_Name\" is not a valid name component");
    }

    @Test
    void aBadFlagExits125() throws Exception {
        Cli.Result r = cli.run("run", "--no-such-flag", "demo");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void aBadMemorySizeNamesTheInput() throws Exception {
        Cli.Result r = cli.run("run", "--memory", "lots", "demo");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("\"lots\" is not a size");
    }

    @Test
    void aMissingCommandBinaryEndsWith125() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "demo", "/no/such/cmd");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("cannot run \"/no/such/cmd\": No such file or directory");
    }
}
