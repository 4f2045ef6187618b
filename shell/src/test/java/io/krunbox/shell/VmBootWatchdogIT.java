package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM that never speaks is killed by the boot watchdog in bounded time, with an error that
 * says what was seen and what to try. The guest is a kernel whose first instruction jumps
 * to itself, booted by the real libkrun: on every host it never reaches guest-init.
 */
class VmBootWatchdogIT {
    @TempDir Path tmp;

    @BeforeAll
    static void needsLibkrunAndSandboxParts() {
        HostParts.libkrun();
        HostParts.sandbox();
    }

    Path spinKernel() throws Exception {
        Files.writeString(tmp.resolve("spin.s"), ".globl _start\n_start: jmp _start\n");
        HostCommand.run("as", "-o", tmp.resolve("spin.o").toString(), tmp.resolve("spin.s").toString());
        HostCommand.run("ld", "-static", "-nostdlib", "-Ttext=0x1000000", "-e", "_start", "-o",
                tmp.resolve("spin.elf").toString(), tmp.resolve("spin.o").toString());
        return tmp.resolve("spin.elf");
    }

    @Test
    void aGuestThatNeverBootsIsKilledWithinTheBootTimeout() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        long start = System.nanoTime();
        Cli.Result r = cli.run("run", "--rm", "--isolation", "vm", "--kernel", spinKernel().toString(),
                "--boot-timeout", "3", "demo", "echo", "hello");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("(vm) did not boot within 3 s: the guest wrote 0 bytes to its console and"
                + " guest-init never signalled ready", "Try --isolation sandbox");
        assertThat(r.out()).isEmpty();
        assertThat(seconds).as("watchdog fired in bounded time").isLessThan(15);
        assertThat(cli.leftovers()).isEmpty();
    }

    @Test
    void aDetachedVmBoxStartsUnderTheMonitorWithTheSameWatchdog() throws Exception {
        Cli cli = new Cli(tmp.resolve("home-d"));
        // the monitor runs the jailed krunbox-vmm: no JVM is started for the box
        Process run = cli.start("run", "-d", "--name", "detached", "--isolation", "vm", "--kernel", spinKernel().toString(),
                "--boot-timeout", "4", "demo", "sleep", "60");
        boolean sawMonitor = false;
        boolean sawJvm = false;
        for (int i = 0; i < 150 && run.isAlive(); i++) {
            for (ProcessHandle ph : ProcessHandle.allProcesses().toList()) {
                String c = ph.info().commandLine().orElse("");
                if (c.contains(tmp.resolve("home-d") + "/bin/krunbox-monitor-") && c.contains(" -j ")) {
                    sawMonitor = true;
                    sawJvm |= ph.children().anyMatch(k -> k.info().commandLine().orElse("").contains("java"));
                }
                sawJvm |= c.contains("BoxSupervisor") || c.contains("KrunShim");
            }
            Thread.sleep(20);
        }
        String err = new String(run.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(run.waitFor()).isEqualTo(125);
        assertThat(sawMonitor).as("the box's monitor was seen").isTrue();
        assertThat(sawJvm).as("a JVM for the box").isFalse();
        assertThat(err).contains("box detached failed to start: box detached (vm) did not boot within 4 s",
                "Try --isolation sandbox");
        assertThat(cli.run("ps", "-a").out()).contains("Failed");
        assertThat(cli.run("rm", "detached").exit()).isZero(); // a box that failed to start is kept, as Docker keeps it
        assertThat(cli.leftovers()).isEmpty();
    }

    @Test
    void theShimRunsInTheBoxsCgroupsWithTheGuestsMemoryPlusOverhead() throws Exception {
        io.krunbox.runtime.testing.Require.part("cgroups", io.krunbox.runtime.limits.BoxCgroup.available(),
                "this host has no cgroup v1 memory, pids and cpu controllers (BoxCgroup knows v1 only)");
        Cli cli = new Cli(tmp.resolve("home-cg"));
        Process run = cli.start("run", "--rm", "--isolation", "vm", "--kernel", spinKernel().toString(), "--boot-timeout", "6",
                "-m", "256m", "demo", "echo", "hello");
        String cgroup = null;
        long limit = 0;
        for (int i = 0; i < 100 && cgroup == null; i++) {
            for (ProcessHandle ph : ProcessHandle.allProcesses().toList()) {
                if (ph.info().commandLine().orElse("").contains("/bin/krunbox-vmm-") && ph.info().commandLine().orElse("")
                        .contains(tmp.resolve("home-cg").toString())) {
                    String groups = java.nio.file.Files.readString(Path.of("/proc", Long.toString(ph.pid()), "cgroup"));
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile(":memory:(/krunbox/[0-9a-f]+)").matcher(groups);
                    if (m.find()) {
                        cgroup = m.group(1);
                        limit = Long.parseLong(java.nio.file.Files.readString(Path.of("/sys/fs/cgroup/memory" + cgroup,
                                "memory.limit_in_bytes")).trim());
                    }
                }
            }
            Thread.sleep(100);
        }
        assertThat(run.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(cgroup).as("the shim's memory cgroup").isNotNull();
        assertThat(limit).isEqualTo((256L + io.krunbox.runtime.limits.BoxCgroup.VM_OVERHEAD_MIB) << 20);
        assertThat(Path.of("/sys/fs/cgroup/memory" + cgroup)).as("removed with the box").doesNotExist();
    }

    @Test
    void onAPvmHostTheStockKernelFailsWithTheSameClearError() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/module/kvm_pvm")), "not a PVM host");
        Cli cli = new Cli(tmp.resolve("home"));
        Cli.Result r = cli.run("run", "--rm", "--isolation", "vm", "--boot-timeout", "3", "demo", "echo", "hello");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("did not boot within 3 s", "KVM here: PVM",
                "Try --isolation sandbox, or --kernel PATH with a kernel this host can boot");
        assertThat(cli.leftovers()).isEmpty();
    }
}
