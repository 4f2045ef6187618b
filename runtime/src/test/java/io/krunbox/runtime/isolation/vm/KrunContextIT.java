package io.krunbox.runtime.isolation.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real libkrun.so, loaded through JNA in a child process, accepts krunbox's calls one by one. */
class KrunContextIT {
    @BeforeAll
    static void needsLibkrun() {
        HostParts.libkrun();
    }

    record Probe(int exit, String out) {}

    static Probe probe(String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                KrunProbe.class.getName(), mode)).redirectErrorStream(true);
        pb.environment().put("LD_PRELOAD", LibkrunShimEngine.libjsig().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Probe(p.exitValue(), out);
    }

    @Test
    void everyCallKrunboxMakesIsAccepted() throws Exception {
        Probe p = probe("accept");
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(p.out()).contains("krun_has_feature(NET) = 1", "krun_has_feature(BLK) = 1",
                "krun_set_vm_config(ctx, 2, 512) = 0",
                "krun_add_virtiofs3(ctx, \"kbv0\", ", ", 0, true) = 0",
                "krun_add_net_tap(ctx, \"kbt-probe\", 52:54:00:1a:2b:3c, 0, 0) = 0",
                "krun_add_vsock_port2(ctx, 1024, ",
                "krun_set_exec(ctx, \"/.krunbox/init\", [], [\"KRUNBOX_ISOLATION=vm\"]) = 0",
                "krun_set_env(ctx, [\"A=1\", \"B=2\"]) = 0",
                "krun_set_workdir(ctx, \"/\") = 0",
                "krun_set_console_output(ctx, ",
                "krun_set_kernel(ctx, ");
        assertThat(p.out().lines().filter(l -> l.endsWith(" = 0"))).hasSize(12);
    }

    @Test
    void everyCallIsAcceptedInsideTheShimsJail(@org.junit.jupiter.api.io.TempDir Path boxDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jailed = ShimJail.command(List.of(), boxDir, List.of(java, "-cp", System.getProperty("java.class.path"),
                KrunProbe.class.getName(), "accept"));
        Process p = new ProcessBuilder(jailed).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines().filter(l -> l.endsWith(" = 0"))).hasSize(12);
        assertThat(jailed).contains("--cap-drop", "--clearenv", "--die-with-parent").doesNotContain("/home", "/root")
                .containsSequence("--dev-bind", "/dev/kvm", "/dev/kvm");
    }

    @Test
    void theJailShowsTheShimNothingOfTheHostButWhatItNeeds(@org.junit.jupiter.api.io.TempDir Path boxDir) throws Exception {
        List<String> jailed = ShimJail.command(List.of(), boxDir, List.of("/bin/sh", "-c",
                "ls /etc; ls /home /root 2>&1; ls /dev; grep CapEff /proc/self/status; env"));
        Process p = new ProcessBuilder(jailed).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain("shadow", "passwd", "hostname").contains("ld.so.cache")
                .contains("No such file or directory").contains("kvm").doesNotContain("vda", "sda")
                .doesNotContain("KRUNBOX_HOME", "JAVA_HOME");
        long caps = Long.parseLong(out.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow()
                .substring(7).trim(), 16);
        assertThat(caps).as("exactly the jail's eleven capabilities: no SYS_ADMIN, no SYS_PTRACE").isEqualTo(0x880050dfL);
    }

    @Test
    void zeroCpusIsATypedErrorNamingTheCall() throws Exception {
        Probe p = probe("zero-cpus");
        assertThat(p.exit()).isEqualTo(3);
        assertThat(p.out()).contains("KrunException call=krun_set_vm_config errno=22: "
                + "krun_set_vm_config(ctx, 0, 512) failed: -22 EINVAL (Invalid argument)");
    }

    @Test
    void aMissingRootDirIsATypedErrorNamingTheCall() throws Exception {
        Probe p = probe("missing-root");
        assertThat(p.exit()).isEqualTo(3);
        assertThat(p.out()).contains("KrunException call=krun_set_root errno=2: krun_set_root(ctx, \"")
                .contains("no-such-dir\") (checked by krunbox: \"").contains("failed: -2 ENOENT (No such file or directory)");
    }
}
