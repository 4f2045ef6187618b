package io.krunbox.runtime.testing;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.isolation.vm.KvmHost;
import io.krunbox.runtime.isolation.vm.LibKrunInstall;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real parts integration tests stand on, each checked and required through {@link Require}. */
public final class HostParts {
    private HostParts() {}

    /** bubblewrap that can make namespaces, and the demo image. */
    public static void sandbox() {
        boolean bwrap = HostCommand.tryRun("bwrap", "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net",
                "--as-pid-1", "/bin/true").exitCode() == 0;
        Require.part("sandbox", bwrap, "bwrap is missing or cannot create namespaces (apt-get install bubblewrap; run as root)");
        Require.part("sandbox", Files.isDirectory(demoImage()), "the demo image is missing at " + demoImage());
    }

    /** libkrun.so.1 and libkrunfw.so.5 installed, and /dev/kvm present. */
    public static void libkrun() {
        Require.part("libkrun", LibKrunInstall.find(LibKrunInstall.LIBKRUN).isPresent(),
                "libkrun.so.1 is not installed (scripts/setup.sh)");
        Require.part("libkrun", LibKrunInstall.find(LibKrunInstall.LIBKRUNFW).isPresent(),
                "libkrunfw.so.5 is not installed (scripts/setup.sh)");
        Require.part("libkrun", KvmHost.probe().usable(), "/dev/kvm is missing or not usable");
    }

    /** QEMU and virtiofsd for the VM guest harness. */
    public static void qemu() {
        Require.part("qemu", io.krunbox.runtime.isolation.vm.QemuHarnessEngine.available(),
                "qemu-system-x86_64 or /usr/lib/qemu/virtiofsd is missing (apt-get install qemu-system-x86)");
    }

    private static String netns;

    /**
     * A network namespace of this test run (made once per JVM, removed at its end with
     * whatever bridges and links are left in it): tests pass it as KRUNBOX_NETNS, so no
     * bridge, link or rule of theirs ever touches the host's own network.
     */
    public static synchronized String testNetns() {
        if (netns == null) {
            String name = "kbtest-" + ProcessHandle.current().pid();
            HostCommand.run("ip", "netns", "add", name);
            HostCommand.run("ip", "-n", name, "link", "set", "lo", "up");
            netns = name;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // boxes' own namespaces made in this run are removed with their boxes; sweep any left over
                HostCommand.tryRun("ip", "netns", "del", name);
            }));
        }
        return netns;
    }

    private static Path serviceImages;

    /**
     * The web (nginx), kv (redis), db (postgresql), jre (Java 17) and py (Python 3.11) images built from Debian's packages by
     * scripts/build-service-images.sh (cached after the first build); returns their directory.
     */
    public static synchronized Path serviceImages() {
        sandbox();
        if (serviceImages == null) {
            Path script = Path.of(System.getProperty("krunbox.scripts", "../scripts"), "build-service-images.sh");
            HostCommand.Result r = HostCommand.tryRun(script.toString());
            Require.part("sandbox", r.exitCode() == 0, script + " failed: " + r.output());
            String out = r.output().trim();
            serviceImages = Path.of(out.substring(out.lastIndexOf('\n') + 1));
        }
        return serviceImages;
    }

    public static Path demoImage() {
        return Path.of(System.getProperty("krunbox.demo.image", "target/demo-image"));
    }
}
