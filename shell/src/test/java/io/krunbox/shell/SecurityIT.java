package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a box's processes hold, as the kernel reports it, and the flags that change it. */
class SecurityIT extends SandboxCliTest {
    static final String DOCKER_DEFAULT = "00000000a80425fb";
    @TempDir Path files;




    String status(String... flagsAndField) throws Exception {
        String field = flagsAndField[flagsAndField.length - 1];
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--rm", "--isolation", "sandbox"));
        args.addAll(java.util.Arrays.asList(flagsAndField).subList(0, flagsAndField.length - 1));
        args.addAll(java.util.List.of("demo", "sh", "-c", "grep '^" + field + ":' /proc/self/status | cut -f2"));
        Cli.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().trim();
    }

    @Test
    void aDefaultBoxHoldsDockersDefaultCapabilitiesUnderASeccompFilter() throws Exception {
        assertThat(status("CapBnd")).isEqualTo(DOCKER_DEFAULT);
        assertThat(status("CapEff")).isEqualTo(DOCKER_DEFAULT);
        assertThat(status("CapAmb")).isEqualTo("0000000000000000");
        assertThat(status("Seccomp")).isEqualTo("2");
    }

    @Test
    void capDropAllLeavesNothingAndCapAddAddsExactlyItsBit() throws Exception {
        assertThat(status("--cap-drop", "ALL", "CapBnd")).isEqualTo("0000000000000000");
        assertThat(status("--cap-drop", "ALL", "CapEff")).isEqualTo("0000000000000000");
        assertThat(Long.parseUnsignedLong(status("--cap-add", "NET_ADMIN", "CapBnd"), 16))
                .isEqualTo(Long.parseUnsignedLong(DOCKER_DEFAULT, 16) | 1L << 12);
        assertThat(status("--cap-add", "cap_sys_ptrace", "--cap-drop", "NET_RAW", "CapEff")).isEqualTo("00000000a80c05fb");
    }

    @Test
    void pid1HoldsNoMoreThanTheBoxEvenForAWorkloadThatMayTraceIt() throws Exception {
        // guest-init keeps the box's set (SETUID, SETGID, SETPCAP and KILL are in it already) under the box's filter
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "--cap-add", "SYS_PTRACE", "demo", "sh", "-c",
                "grep -E '^(CapEff|CapBnd|Seccomp|NoNewPrivs):' /proc/1/status | cut -f2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("00000000a80c25fb\n00000000a80c25fb\n1\n2\n");
    }

    @Test
    void aNonRootUserHasNoEffectiveCapabilities() throws Exception {
        assertThat(status("-u", "nobody", "CapEff")).isEqualTo("0000000000000000");
        assertThat(status("-u", "nobody", "CapPrm")).isEqualTo("0000000000000000");
        assertThat(status("-u", "nobody", "CapBnd")).isEqualTo(DOCKER_DEFAULT);
    }

    @Test
    void execGetsTheSameLimitsAsTheWorkload() throws Exception {
        assertThat(cli.run("run", "-d", "--name", "held", "--isolation", "sandbox", "demo", "sleep", "60").exit()).isZero();
        Cli.Result r = cli.run("exec", "held", "sh", "-c", "grep -E '^(CapBnd|Seccomp):' /proc/self/status | cut -f2");
        assertThat(r.out()).isEqualTo(DOCKER_DEFAULT + "\n2\n");
        Cli.Result inspect = cli.run("inspect", "held", "--format", "{{.HostConfig.CapEff}} {{.HostConfig.SecurityOpt}}");
        assertThat(inspect.out().trim()).isEqualTo(DOCKER_DEFAULT + " seccomp=default");
    }

    @Test
    void aProfileInDockersFormatIsEnforced() throws Exception {
        Path profile = files.resolve("no-mkdir.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
                """);
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "--security-opt", "seccomp=" + profile, "demo",
                "sh", "-c", "mkdir /made; echo $?; touch /file && echo touched");
        assertThat(r.out()).isEqualTo("1\ntouched\n");
        assertThat(r.err()).contains("Permission denied");
        assertThat(status("--security-opt", "seccomp=unconfined", "Seccomp")).isEqualTo("0");
    }

    @Test
    void namespacedSysctlsAreSetAndTheRestRefusedByName() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "--sysctl", "net.ipv4.ip_forward=1",
                "--sysctl", "kernel.shmmax=1048576", "demo", "sh", "-c",
                "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax");
        assertThat(r.out()).isEqualTo("1\n1048576\n");
        Cli.Result host = cli.run("run", "--rm", "--isolation", "sandbox", "--sysctl", "vm.swappiness=1", "demo", "true");
        assertThat(host.exit()).isEqualTo(125);
        assertThat(host.err()).contains("sysctl vm.swappiness is not namespaced: it would change the host")
                .doesNotContain("Exception");
    }

    @Test
    void badSecurityFlagsAreRefusedWithWhatToDo() throws Exception {
        Cli.Result cap = cli.run("run", "--rm", "--cap-add", "NET_ADMINN", "demo", "true");
        assertThat(cap.exit()).isEqualTo(125);
        assertThat(cap.err()).contains("\"NET_ADMINN\" is not a capability").doesNotContain("Exception");
        Cli.Result opt = cli.run("run", "--rm", "--security-opt", "seccomp=" + files.resolve("missing.json"), "demo", "true");
        assertThat(opt.exit()).isEqualTo(125);
        assertThat(opt.err()).contains("cannot read seccomp profile").contains("missing.json");
        Path bad = files.resolve("bad.json");
        Files.writeString(bad, "{\"defaultAction\": \"SCMP_ACT_MAYBE\"}");
        Cli.Result profile = cli.run("run", "--rm", "--security-opt", "seccomp=" + bad, "demo", "true");
        assertThat(profile.err()).contains("seccomp profile " + bad + ": defaultAction \"SCMP_ACT_MAYBE\" is not one of");
        Cli.Result device = cli.run("run", "--rm", "--device", "/etc/passwd", "demo", "true");
        assertThat(device.err()).contains("give a device under /dev");
        assertThat(cli.run("run", "--rm", "--userns", "keep-id", "demo", "true").err()).contains("use host or auto");
    }

    @Test
    void theDryRunPrintsWhatTheBoxMayDo() throws Exception {
        Cli.Result r = cli.run("run", "--dry-run", "--isolation", "sandbox", "--cap-add", "NET_ADMIN", "demo", "true");
        assertThat(r.out()).containsPattern("security +capabilities 0x00000000a80435fb \\(CHOWN .*NET_ADMIN.*\\), seccomp default");
        Cli.Result p = cli.run("run", "--dry-run", "--isolation", "sandbox", "--privileged", "demo", "true");
        assertThat(p.out()).contains("security privileged: every capability, no seccomp filter").contains("--dev-bind /dev /dev");
    }
}
