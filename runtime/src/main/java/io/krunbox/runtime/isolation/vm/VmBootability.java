package io.krunbox.runtime.isolation.vm;

/** Whether a vm box can boot on this host: the default isolation and {@code doctor}'s verdict both come from here. */
public final class VmBootability {
    private VmBootability() {}

    /** Null when a VM can boot (with libkrunfw's kernel, or the user's), else why not. */
    public static String whyNot(KvmHost kvm, boolean userKernel) {
        if (!LibKrunInstall.installed(LibKrunInstall.LIBKRUN)) {
            return "libkrun.so.1 is not installed (scripts/setup.sh builds it)";
        }
        if (!userKernel && !LibKrunInstall.installed(LibKrunInstall.LIBKRUNFW)) {
            return "libkrunfw.so.5 (the guest kernel) is not installed (scripts/setup.sh installs it)";
        }
        return kvm.whyNotBootable(userKernel);
    }
}
