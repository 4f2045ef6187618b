package io.krunbox.runtime.isolation.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.guest.HelperBinary;
import io.krunbox.runtime.testing.HostParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** krunbox-vmm, the C VMM process, against the real libkrun: in its jail, and with calls libkrun or it refuses. */
class KrunboxVmmIT {
    @TempDir
    Path home;

    @BeforeAll
    static void needsLibkrun() {
        HostParts.libkrun();
    }

    record Run(int exit, String err) {}

    Run run(List<KrunCall> calls, boolean jailed) throws Exception {
        Path boxDir = Files.createDirectories(home.resolve("boxes/0123456789ab0123456789ab"));
        List<String> vmm = LibkrunShimEngine.vmmCommand(calls, boxDir);
        List<String> cmd = jailed ? ShimJail.command(calls, boxDir, vmm) : vmm;
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void everyCallKrunboxMakesIsAcceptedInsideTheJail() throws Exception {
        Path root = Files.createDirectories(home.resolve("boxes/0123456789ab0123456789ab/merged"));
        Path volume = Files.createDirectories(home.resolve("volume"));
        Path logs = Files.createDirectories(home.resolve("boxes/0123456789ab0123456789ab/logs"));
        Path kernel = Files.write(home.resolve("kernel"), new byte[] {(byte) 0xeb, (byte) 0xfe});
        List<KrunCall> calls = new ArrayList<>(List.of(
                KrunCall.of("krun_create_ctx"),
                KrunCall.of("krun_set_vm_config", 2, 512),
                KrunCall.of("krun_set_root", root.toString()),
                KrunCall.of("krun_add_virtiofs3", "kbv0", volume.toString(), 0L, true),
                KrunCall.of("krun_add_virtiofs3", "kbv1", volume.toString(), 0L, false),
                KrunCall.of("krun_add_net_tap", "kbt-vmm", KrunCall.Mac.parse("52:54:00:1a:2b:3c"), 0, 0),
                KrunCall.of("krun_disable_implicit_vsock"),
                KrunCall.of("krun_add_vsock", 0),
                KrunCall.of("krun_add_vsock_port2", 1024, logs.resolve("exec.sock").toString(), true),
                KrunCall.of("krun_set_exec", "/.krunbox/init", List.of(), List.of("KRUNBOX_ISOLATION=vm")),
                KrunCall.of("krun_set_env", List.of("A=1", "B=2")),
                KrunCall.of("krun_set_workdir", "/"),
                KrunCall.of("krun_set_console_output", logs.resolve("console.log").toString()),
                KrunCall.of("krun_set_kernel", kernel.toString(), KrunCalls.KERNEL_FORMAT_ELF, null, null)));
        Run r = run(calls, true);
        // each call returned 0; only the missing krun_start_enter is refused
        assertThat(r.err()).isEqualTo("krunbox-vmm: the calls did not end with krun_start_enter\n");
        assertThat(r.exit()).isEqualTo(125);
    }

    @Test
    void aCallLibkrunRefusesIsNamedWithItsError() throws Exception {
        Run r = run(List.of(KrunCall.of("krun_set_vm_config", 0, 512), KrunCall.of("krun_start_enter")), false);
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("krunbox-vmm: krun_set_vm_config failed: Invalid argument (errno 22)\n");
    }

    @Test
    void aMissingRootIsRefusedBeforeLibkrunTakesIt() throws Exception {
        Run r = run(List.of(KrunCall.of("krun_set_root", home.resolve("no-such-dir").toString())), false);
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("krunbox-vmm: krun_set_root: \"" + home.resolve("no-such-dir") + "\" is not a directory\n");
    }

    @Test
    void aCallsFileThatIsNotOneIsRefused() throws Exception {
        Path vmm = HelperBinary.extract("krunbox-vmm", home);
        for (String text : List.of("krun_start_enter\n", "krunbox-vmm-calls 1\nkrun_set_root sZZ\n",
                "krunbox-vmm-calls 1\nkrun_set_exec s2f a2:41 a0:\n", "krunbox-vmm-calls 1\nkrun_reboot_host\n",
                "krunbox-vmm-calls 1\nkrun_set_root s2f s2f\n")) {
            Path f = Files.writeString(home.resolve("calls"), text);
            Process p = new ProcessBuilder(vmm.toString(), f.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(text).isEqualTo(125);
            assertThat(out).as(text).startsWith("krunbox-vmm: ").doesNotContain("krun_start_enter\n", "Segmentation");
        }
    }
}
