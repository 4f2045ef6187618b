package io.krunbox.runtime.doctor;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.guest.GuestInit;
import io.krunbox.runtime.isolation.vm.KvmHost;
import io.krunbox.runtime.isolation.vm.LibKrunInstall;
import io.krunbox.runtime.isolation.vm.VmBootability;
import io.krunbox.runtime.rootfs.RootfsPreparer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks this host for both isolations and says, for each problem, what to do. */
public final class Doctor {
    private final KvmHost kvm;

    public Doctor(KvmHost kvm) {
        this.kvm = kvm;
    }

    public List<Check> run() {
        List<Check> checks = new ArrayList<>();
        checks.add(libkrun());
        checks.add(library("libkrunfw", LibKrunInstall.LIBKRUNFW,
                "install Debian unstable's libkrunfw5 .deb (scripts/setup.sh does it)"));
        checks.add(kvmDevice());
        checks.add(kvmKind());
        checks.add(vmBoot());
        checks.add(bubblewrap());
        checks.add(overlay());
        checks.add(cgroups());
        checks.add(guestInit());
        checks.add(home());
        return checks;
    }

    private Check libkrun() {
        Optional<Path> lib = LibKrunInstall.find(LibKrunInstall.LIBKRUN);
        if (lib.isEmpty()) {
            return Check.fail("libkrun", "libkrun.so.1 not found", "run scripts/setup.sh (builds libkrun from crates.io)");
        }
        String version = LibKrunInstall.version(lib.get(), LibKrunInstall.LIBKRUN);
        try {
            return Check.ok("libkrun", version + " at " + lib.get() + " (features: " + LibKrunInstall.features() + ")");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Check.fail("libkrun", version + " at " + lib.get() + " does not load: " + e.getMessage(),
                    "rebuild it with scripts/setup.sh");
        }
    }

    private static Check library(String name, String soname, String fix) {
        return LibKrunInstall.find(soname)
                .map(p -> Check.ok(name, LibKrunInstall.version(p, soname) + " at " + p))
                .orElseGet(() -> Check.fail(name, soname + " not found", fix));
    }

    private Check kvmDevice() {
        if (!kvm.present()) {
            return Check.warn("/dev/kvm", "missing: vm boxes cannot run", "use a host with KVM, or --isolation sandbox");
        }
        return kvm.usable() ? Check.ok("/dev/kvm", "present, readable and writable")
                : Check.fail("/dev/kvm", "present but not usable by this user", "add the user to group kvm");
    }

    private Check kvmKind() {
        if (!kvm.present()) {
            return Check.warn("kvm kind", "none", "");
        }
        if (kvm.pvm()) {
            return Check.warn("kvm kind", kvm.kind() + ": no stock guest kernel is known to boot on it;"
                    + " libkrun enters the VM and fails after ~14 s with KVM_EXIT_INTERNAL_ERROR",
                    "use --isolation sandbox (the default here), or --kernel PATH with a kernel this host boots");
        }
        return Check.ok("kvm kind", kvm.kind());
    }

    private Check vmBoot() {
        String why = VmBootability.whyNot(kvm, false);
        if (why == null) {
            return Check.ok("vm boot", "vm boxes can boot; default isolation: vm");
        }
        return Check.warn("vm boot", why + "; default isolation: sandbox",
                "--isolation sandbox runs the same boxes without a VM");
    }

    private static Check bubblewrap() {
        HostCommand.Result v = HostCommand.tryRun("bwrap", "--version");
        if (v.exitCode() != 0) {
            return Check.fail("bubblewrap", "bwrap not found", "apt-get install bubblewrap");
        }
        HostCommand.Result ns = HostCommand.tryRun("bwrap", "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net",
                "--unshare-ipc", "--unshare-uts", "--as-pid-1", "/bin/true");
        if (ns.exitCode() != 0) {
            return Check.fail("bubblewrap", v.output().trim() + " cannot create namespaces: " + ns.output().trim(),
                    "run as root, or enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)");
        }
        return Check.ok("bubblewrap", v.output().trim() + ", namespaces work: sandbox boxes can run");
    }

    private static Check overlay() {
        return RootfsPreparer.defaultMethod() == RootfsPreparer.Method.OVERLAY
                ? Check.ok("overlayfs", "available: boxes share image layers")
                : Check.warn("overlayfs", "not used: each box gets a full copy of its image",
                        "a kernel with overlayfs (and KRUNBOX_ROOTFS unset) saves disk and time");
    }

    private static Check cgroups() {
        List<String> v1 = new ArrayList<>();
        for (String c : new String[] {"memory", "pids", "cpu"}) {
            if (Files.isDirectory(Path.of("/sys/fs/cgroup", c)) && Files.exists(Path.of("/sys/fs/cgroup", c, "tasks"))) {
                v1.add(c);
            }
        }
        String v2 = "";
        try {
            v2 = Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers")).trim();
        } catch (IOException notV2) {
            // a v1 or hybrid host
        }
        if (v1.size() == 3) {
            return Check.ok("cgroups", "v1 controllers: " + String.join(", ", v1));
        }
        if (v2.contains("memory") && v2.contains("pids") && v2.contains("cpu")) {
            return Check.ok("cgroups", "v2 controllers: " + v2);
        }
        return Check.warn("cgroups", "memory, pids and cpu controllers not all available (v1: " + v1 + ", v2: [" + v2 + "])",
                "resource limits (--memory, --pids-limit, --cpus) need these controllers");
    }

    private static Check guestInit() {
        try {
            GuestInit g = GuestInit.fromEnvironment();
            return Check.ok("guest-init", g.origin() + ": static ELF, " + g.size() + " bytes");
        } catch (BoxException e) {
            return Check.fail("guest-init", e.getMessage(), "rebuild with scripts/setup.sh");
        }
    }

    private static Check home() {
        KrunboxHome home = KrunboxHome.fromEnvironment();
        try {
            home.create();
            return Files.isWritable(home.root()) ? Check.ok("home", home.root() + " (writable)")
                    : Check.fail("home", home.root() + " is not writable", "set KRUNBOX_HOME to a writable directory");
        } catch (RuntimeException e) {
            return Check.fail("home", e.getMessage(), "set KRUNBOX_HOME to a writable directory");
        }
    }
}
