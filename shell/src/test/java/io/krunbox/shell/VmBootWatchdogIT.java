package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.HostCommand;
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
