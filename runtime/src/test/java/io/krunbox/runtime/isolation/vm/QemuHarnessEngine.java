package io.krunbox.runtime.isolation.vm;

import io.krunbox.runtime.base.HostCommand;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tests' stand-in for libkrun: the same calls, carried out by QEMU in software
 * emulation. The root and every volume become a virtiofsd with a vhost-user-fs device
 * (tag as in the libkrun plan), a TAP a virtio-net device, the console a serial port
 * written to the box's log. Debian's kernel and the harness initramfs
 * (scripts/build-vm-harness.sh) mount the root and run /.krunbox/init as PID 1, as
 * libkrun's kernel does. Not offered to users.
 */
public final class QemuHarnessEngine implements VmEngine {
    private final Path harness;

    public QemuHarnessEngine(Path harness) {
        this.harness = harness;
    }

    /** Builds (or finds in its cache) the kernel and initramfs; returns their directory. */
    public static Path buildHarness() {
        Path script = Path.of(System.getProperty("krunbox.scripts", "../scripts"), "build-vm-harness.sh");
        String out = HostCommand.run(script.toString()).trim();
        return Path.of(out.substring(out.lastIndexOf('\n') + 1));
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")) && Files.isExecutable(Path.of("/usr/lib/qemu/virtiofsd"));
    }

    @Override
    public String describe(String shortId) {
        return "qemu-system-x86_64 (test harness) " + shortId;
    }

    @Override
    public Process start(List<KrunCall> calls, Path boxDir, Path log, List<String> enter, List<Path> cgroups)
            throws IOException {
        // short socket paths: sun_path is 108 bytes
        Path sockets = Files.createTempDirectory(Path.of("/tmp"), "kbq-");
        List<Process> daemons = new ArrayList<>();
        List<String> qemu = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-display", "none",
                "-no-reboot", "-kernel", harness.resolve("vmlinuz").toString(),
                "-initrd", harness.resolve("initrd.gz").toString(), "-append", "console=ttyS0 rdinit=/init quiet"));
        int cpus = 1, mib = 512, fs = 0, nic = 0;
        try {
            for (KrunCall c : calls) {
                switch (c.function()) {
                    case "krun_set_vm_config" -> {
                        cpus = (int) c.number(0);
                        mib = (int) c.number(1);
                    }
                    case "krun_set_root" -> fs = share(qemu, daemons, sockets, fs, "rootfs", c.string(0));
                    case "krun_add_virtiofs3" -> fs = share(qemu, daemons, sockets, fs, c.string(0), c.string(1));
                    case "krun_add_net_tap" -> {
                        qemu.addAll(List.of("-netdev", "tap,id=n" + nic + ",ifname=" + c.string(0)
                                + ",script=no,downscript=no", "-device", "virtio-net-pci,netdev=n" + nic + ",mac=" + c.mac(1)));
                        nic++;
                    }
                    case "krun_set_console_output" -> qemu.addAll(List.of("-serial", "file:" + c.string(0)));
                    // the harness's initramfs runs /.krunbox/init, as libkrun's kernel does with krun_set_exec
                    // no /dev/vhost-vsock here: exec is tested in the sandbox
                    case "krun_create_ctx", "krun_set_exec", "krun_start_enter", "krun_add_vsock_port2",
                            "krun_disable_implicit_vsock", "krun_add_vsock" -> { }
                    default -> throw new IOException("the QEMU harness does not carry out " + c.function());
                }
            }
            qemu.addAll(List.of("-smp", Integer.toString(cpus), "-m", mib + "M", "-object",
                    "memory-backend-memfd,id=mem,size=" + mib + "M,share=on", "-numa", "node,memdev=mem"));
            List<String> cmd = new ArrayList<>(enter);
            cmd.addAll(qemu);
            Process vm = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            vm.onExit().thenRun(() -> stop(daemons, sockets));
            return vm;
        } catch (IOException | RuntimeException e) {
            stop(daemons, sockets);
            throw e;
        }
    }

    private static int share(List<String> qemu, List<Process> daemons, Path sockets, int n, String tag, String dir)
            throws IOException {
        Path socket = sockets.resolve("fs" + n + ".sock");
        Process d = new ProcessBuilder("/usr/lib/qemu/virtiofsd", "--socket-path=" + socket, "-o", "source=" + dir,
                "-o", "cache=none").redirectErrorStream(true).redirectOutput(sockets.resolve("fs" + n + ".log").toFile())
                .start();
        daemons.add(d);
        for (int i = 0; i < 200 && !Files.exists(socket); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted starting virtiofsd", e);
            }
        }
        if (!Files.exists(socket)) {
            throw new IOException("virtiofsd for " + dir + " did not create " + socket + ": "
                    + Files.readString(sockets.resolve("fs" + n + ".log")));
        }
        qemu.addAll(List.of("-chardev", "socket,id=fs" + n + ",path=" + socket, "-device",
                "vhost-user-fs-pci,queue-size=1024,chardev=fs" + n + ",tag=" + tag));
        return n + 1;
    }

    private static void stop(List<Process> daemons, Path sockets) {
        for (Process d : daemons) {
            d.destroy();
            try {
                if (!d.waitFor(5, TimeUnit.SECONDS)) {
                    d.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            io.krunbox.oci.layer.LayerUnpacker.deleteTree(sockets);
        } catch (IOException ignored) {
            // a temporary directory in /tmp
        }
    }
}
