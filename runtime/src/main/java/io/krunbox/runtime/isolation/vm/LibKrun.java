package io.krunbox.runtime.isolation.vm;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The libkrun calls krunbox uses, and nothing else. Negative returns are -errno. */
public interface LibKrun extends Library {
    int krun_set_log_level(int level);

    int krun_create_ctx();

    int krun_free_ctx(int ctx);

    int krun_set_vm_config(int ctx, byte vcpus, int ramMib);

    int krun_set_root(int ctx, String rootPath);

    int krun_add_virtiofs3(int ctx, String tag, String hostPath, long shmSize, boolean readOnly);

    int krun_add_net_tap(int ctx, String tapName, byte[] mac, int features, int flags);

    int krun_add_net_unixstream(int ctx, String path, int fd, byte[] mac, int features, int flags);

    int krun_disable_implicit_vsock(int ctx);

    int krun_add_vsock(int ctx, int tsiFeatures);

    int krun_add_vsock_port2(int ctx, int port, String hostSocket, boolean listen);

    int krun_set_exec(int ctx, String execPath, String[] argv, String[] envp);

    int krun_set_env(int ctx, String[] envp);

    int krun_set_workdir(int ctx, String workdir);

    int krun_set_console_output(int ctx, String path);

    int krun_set_kernel(int ctx, String kernelPath, int format, String initramfs, String cmdline);

    int krun_start_enter(int ctx);

    int krun_has_feature(long feature);

    int krun_get_max_vcpus();

    /** Loads libkrun.so.1 from the system's library path (ldconfig, or -Djna.library.path). */
    static LibKrun load() {
        return Native.load("krun", LibKrun.class);
    }
}
