package io.krunbox.runtime.isolation.vm;

import io.krunbox.runtime.guest.BoxControl;
import io.krunbox.runtime.guest.GuestInit;
import io.krunbox.runtime.guest.GuestMount;
import io.krunbox.runtime.guest.GuestNic;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.BoxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The libkrun calls that boot one box, in order; the plan prints them and the shim makes them. */
public final class KrunCalls {
    public static final int KERNEL_FORMAT_RAW = 0;
    public static final int KERNEL_FORMAT_ELF = 1;
    public static final int KERNEL_FORMAT_IMAGE_BZ2 = 3;
    public static final int KERNEL_FORMAT_IMAGE_GZ = 4;
    public static final int KERNEL_FORMAT_IMAGE_ZSTD = 5;

    private KrunCalls() {}

    /** The guest's exec port: guest-init listens on it; libkrun maps it to a unix socket on the host. */
    public static final int EXEC_VSOCK_PORT = 1024;

    public static List<KrunCall> forBox(BoxSpec spec, Path merged, Path consoleLog, Path execSocket) {
        return forBox(spec, merged, consoleLog, execSocket, List.of(), List.of());
    }

    /** With the box's volumes (one virtio-fs device each, read-only enforced by the host) and NICs (TAPs). */
    public static List<KrunCall> forBox(BoxSpec spec, Path merged, Path consoleLog, Path execSocket,
                                        List<GuestNic> nics, List<GuestMount> mounts) {
        List<KrunCall> calls = new ArrayList<>();
        calls.add(KrunCall.of("krun_create_ctx"));
        calls.add(KrunCall.of("krun_set_vm_config", spec.cpus(), spec.memoryMib()));
        calls.add(KrunCall.of("krun_set_root", merged.toString()));
        // the control directory (config, init) read-only, its run/ (ready, exit) writable: guest-init mounts both at /.krunbox
        BoxControl control = BoxControl.of(merged.getParent());
        calls.add(KrunCall.of("krun_add_virtiofs3", BoxControl.TAG, control.dir().toString(), 0, true));
        calls.add(KrunCall.of("krun_add_virtiofs3", BoxControl.RUN_TAG, control.run().toString(), 0, false));
        if (spec.kernel() != null) {
            // NULL initramfs and cmdline: libkrun supplies its own command line for a virtio-fs root
            calls.add(KrunCall.of("krun_set_kernel", Path.of(spec.kernel()).toAbsolutePath().toString(),
                    kernelFormat(Path.of(spec.kernel())), null, null));
        }
        for (GuestMount m : mounts) {
            if (m.type().equals("virtiofs")) {
                calls.add(KrunCall.of("krun_add_virtiofs3", m.tag(), m.hostPath(), 0, m.readOnly()));
            }
        }
        if (!spec.bridged() && spec.networks().get(0).network().equals(NetworkAttachment.NONE)) {
            // no TSI: a vsock for the exec port only
            calls.add(KrunCall.of("krun_disable_implicit_vsock"));
            calls.add(KrunCall.of("krun_add_vsock", 0));
        }
        for (GuestNic n : nics) {
            calls.add(KrunCall.of("krun_add_net_tap", n.hostLink(), KrunCall.Mac.parse(n.mac()), 0, 0));
        }
        calls.add(KrunCall.of("krun_add_vsock_port2", EXEC_VSOCK_PORT, execSocket.toString(), true));
        calls.add(KrunCall.of("krun_set_exec", GuestInit.PATH_IN_BOX, List.of(), List.of("KRUNBOX_ISOLATION=vm")));
        calls.add(KrunCall.of("krun_set_console_output", consoleLog.toString()));
        calls.add(KrunCall.of("krun_start_enter"));
        return calls;
    }

    /** The libkrun kernel format, from the file's first bytes. */
    static int kernelFormat(Path kernel) {
        byte[] m;
        try (InputStream in = Files.newInputStream(kernel)) {
            m = in.readNBytes(4);
        } catch (IOException e) {
            return KERNEL_FORMAT_RAW; // a missing kernel is reported by krun_set_kernel itself
        }
        if (m.length == 4 && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F') {
            return KERNEL_FORMAT_ELF;
        }
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return KERNEL_FORMAT_IMAGE_GZ;
        }
        if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
            return KERNEL_FORMAT_IMAGE_BZ2;
        }
        if (m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f) {
            return KERNEL_FORMAT_IMAGE_ZSTD;
        }
        return KERNEL_FORMAT_RAW;
    }
}
