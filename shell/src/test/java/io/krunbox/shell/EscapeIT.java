package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escape suite: root in a default box tries the ways out a root workload has (mount,
 * the host's disk through mknod, the clock, file handles, new namespaces, the keyring, the
 * kernel log, a sysctl). Each must be refused; under --privileged (host user namespace) each
 * must get through, proof that every probe can see the hole it looks for. Every probe is
 * harmless when it succeeds (src/test/c/escape-probe.c).
 */
class EscapeIT extends SandboxCliTest {
    @TempDir static Path probeDir;

    @BeforeAll
    static void buildProbe() throws Exception {
        HostParts.sandbox();
        Process cc = new ProcessBuilder("musl-gcc", "-static", "-O2", "-o", probeDir.resolve("escape-probe").toString(),
                "src/test/c/escape-probe.c").redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes());
        assertThat(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0).as("musl-gcc: %s", out).isTrue();
        // readable by a --userns auto box's root, which is not the host's
        Files.setPosixFilePermissions(probeDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }



    /** The host's root file system: its block device numbers and type, from /proc/self/mountinfo. */
    static String[] hostDisk() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) {
                int dash = line.indexOf(" - ");
                String fstype = line.substring(dash + 3).split(" ")[0];
                String[] dev = f[2].split(":");
                assertThat(dev[0]).as("the host's root is on a block device").isNotEqualTo("0");
                return new String[] {dev[0], dev[1], fstype};
            }
        }
        throw new AssertionError("no / in /proc/self/mountinfo");
    }

    List<String> probes() throws Exception {
        String[] disk = hostDisk();
        return List.of("mount", "blockdev " + String.join(" ", disk), "chardev", "clock", "handle /probe/escape-probe", "unshare",
                "keyctl", "syslog", "sysctl");
    }

    /** Runs every probe in one box; returns its lines, one per probe. */
    List<String> probe(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--isolation", "sandbox", "-v", probeDir + ":/probe:ro"));
        args.addAll(List.of(flags));
        StringBuilder script = new StringBuilder();
        for (String p : probes()) {
            script.append("/probe/escape-probe ").append(p).append("; ");
        }
        args.addAll(List.of("demo", "sh", "-c", script.toString()));
        Cli.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().lines().toList();
    }

    @Test
    void everyProbeIsRefusedInADefaultBox() throws Exception {
        assertThat(probe()).containsExactly("mount refused EPERM", "blockdev refused EPERM", "chardev refused EACCES",
                "clock refused EPERM",
                "handle refused EPERM", "unshare refused EPERM", "keyctl refused EPERM", "syslog refused EPERM",
                "sysctl refused EROFS");
    }

    @Test
    void everyProbeGetsThroughWithPrivilegedSoEachCanSeeItsHole() throws Exception {
        assertThat(probe("--privileged")).containsExactly("mount through", "blockdev through", "chardev through",
                "clock through",
                "handle through", "unshare through", "keyctl through", "syslog through", "sysctl through");
    }

    @Test
    void underUsernsAutoEvenAPrivilegedBoxCannotReachTheHost() throws Exception {
        // every capability, but in the box's own user namespace: what needs the host's is refused
        assertThat(probe("--userns", "auto", "--privileged")).contains("blockdev refused EPERM", "chardev refused EPERM",
                "clock refused EPERM", "handle refused EPERM", "syslog refused EPERM", "mount refused EPERM");
        assertThat(probe("--userns", "auto")).containsExactly("mount refused EPERM", "blockdev refused EPERM",
                "chardev refused EPERM", "clock refused EPERM", "handle refused EPERM", "unshare refused EPERM",
                "keyctl refused EPERM", "syslog refused EPERM", "sysctl refused EACCES");
    }

    @Test
    void aDeviceNodeMadeWithMknodDoesNotOpenEvenWithEveryCapability() throws Exception {
        // every capability and no filter, but the devices cgroup: the node is made, and refused when opened
        assertThat(probe("--cap-add", "ALL", "--security-opt", "seccomp=unconfined")).contains("chardev refused EPERM");
    }

    @Test
    void theClockProbeTellsTheFiltersAnswerForTheKernelChecksTheTimeBeforeTheCapability() throws Exception {
        assertThat(probe("--cap-add", "SYS_TIME")).contains("clock through");
        assertThat(probe("--cap-drop", "ALL", "--security-opt", "seccomp=unconfined")).contains("clock through");
    }
}
