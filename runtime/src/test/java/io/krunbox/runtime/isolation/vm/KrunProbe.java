package io.krunbox.runtime.isolation.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link KrunContextIT}: applies libkrun calls to a real context and
 * prints one line per call. Modes: {@code accept} (every call krunbox makes, except
 * krun_start_enter), {@code zero-cpus}, {@code missing-root}.
 */
public final class KrunProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("krun-probe");
        Path root = Files.createDirectories(dir.resolve("root"));
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Path kernel = Files.write(dir.resolve("kernel"), new byte[] {(byte) 0xeb, (byte) 0xfe});
        List<KrunCall> calls = switch (args[0]) {
            case "accept" -> List.of(
                    KrunCall.of("krun_set_vm_config", 2, 512),
                    KrunCall.of("krun_set_root", root.toString()),
                    KrunCall.of("krun_add_virtiofs3", "kbv0", volume.toString(), 0L, true),
                    KrunCall.of("krun_add_virtiofs3", "kbv1", volume.toString(), 0L, false),
                    KrunCall.of("krun_add_net_tap", "kbt-probe", KrunCall.Mac.parse("52:54:00:1a:2b:3c"), 0, 0),
                    KrunCall.of("krun_add_net_unixstream", dir.resolve("net.sock").toString(),
                            KrunCall.Mac.parse("52:54:00:1a:2b:3d"), 0, 0),
                    KrunCall.of("krun_add_vsock_port2", 1024, dir.resolve("exec.sock").toString(), true),
                    KrunCall.of("krun_set_exec", "/.krunbox/init", List.of(), List.of("KRUNBOX_ISOLATION=vm")),
                    KrunCall.of("krun_set_env", List.of("A=1", "B=2")),
                    KrunCall.of("krun_set_workdir", "/"),
                    KrunCall.of("krun_set_console_output", dir.resolve("console.log").toString()),
                    KrunCall.of("krun_set_kernel", kernel.toString(), KrunCalls.KERNEL_FORMAT_ELF, null, null));
            case "zero-cpus" -> List.of(KrunCall.of("krun_set_vm_config", 0, 512));
            case "missing-root" -> List.of(KrunCall.of("krun_set_root", dir.resolve("no-such-dir").toString()));
            default -> throw new IllegalArgumentException(args[0]);
        };
        LibKrun lib = LibKrun.load();
        System.out.println("krun_get_max_vcpus() = " + lib.krun_get_max_vcpus());
        System.out.println("krun_has_feature(NET) = " + lib.krun_has_feature(0));
        System.out.println("krun_has_feature(BLK) = " + lib.krun_has_feature(1));
        try (KrunContext ctx = KrunContext.create(lib)) {
            for (KrunCall c : calls) {
                ctx.apply(c);
                System.out.println(c.render() + " = 0");
            }
        } catch (KrunException e) {
            System.out.println("KrunException call=" + e.call() + " errno=" + e.errno() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
