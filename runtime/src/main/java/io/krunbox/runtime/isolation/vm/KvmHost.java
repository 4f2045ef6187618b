package io.krunbox.runtime.isolation.vm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this host's KVM is: present, usable by us, and of which kind. A PVM host
 * ({@code /sys/module/kvm_pvm}) is a paravirtual KVM on which no stock guest kernel is
 * known to boot: libkrun enters the VM and fails after seconds with KVM_EXIT_INTERNAL_ERROR.
 */
public record KvmHost(boolean present, boolean usable, boolean pvm) {
    public static KvmHost probe() {
        return probe(Path.of("/dev/kvm"), Path.of("/sys/module/kvm_pvm"));
    }

    static KvmHost probe(Path dev, Path pvmModule) {
        boolean present = Files.exists(dev);
        boolean usable = present && Files.isReadable(dev) && Files.isWritable(dev);
        return new KvmHost(present, usable, Files.isDirectory(pvmModule));
    }

    public String kind() {
        if (!present) {
            return "none";
        }
        return pvm ? "PVM (paravirtual KVM, /sys/module/kvm_pvm)" : "KVM";
    }

    /** Null when a VM can boot here with libkrunfw's kernel (or the user's), else why not. */
    public String whyNotBootable(boolean userKernel) {
        if (!present) {
            return "there is no /dev/kvm on this host";
        }
        if (!usable) {
            return "/dev/kvm is not readable and writable by this user (add the user to group kvm)";
        }
        if (pvm && !userKernel) {
            return "this host's KVM is PVM (/sys/module/kvm_pvm), on which libkrunfw's kernel does not boot"
                    + " (libkrun fails with KVM_EXIT_INTERNAL_ERROR)";
        }
        return null;
    }
}
