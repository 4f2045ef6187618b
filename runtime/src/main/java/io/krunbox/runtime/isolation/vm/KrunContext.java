package io.krunbox.runtime.isolation.vm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A libkrun configuration context. Each {@link KrunCall} is applied to the real library and
 * a negative return becomes a {@link KrunException} naming the call and the errno.
 */
public final class KrunContext implements AutoCloseable {
    private final LibKrun lib;
    private final int ctx;
    private boolean entered;

    private KrunContext(LibKrun lib, int ctx) {
        this.lib = lib;
        this.ctx = ctx;
    }

    public static KrunContext create(LibKrun lib) {
        int id = lib.krun_create_ctx();
        if (id < 0) {
            throw new KrunException("krun_create_ctx", "krun_create_ctx()", id);
        }
        return new KrunContext(lib, id);
    }

    public int id() {
        return ctx;
    }

    /** Applies one call. {@code krun_create_ctx} is the context itself and is skipped. */
    public void apply(KrunCall c) {
        checkHostPaths(c);
        int rc = switch (c.function()) {
            case "krun_create_ctx" -> 0;
            case "krun_set_vm_config" -> {
                long cpus = c.number(0);
                if (cpus < 0 || cpus > 255) {
                    yield -22; // uint8_t: refuse rather than wrap around
                }
                yield lib.krun_set_vm_config(ctx, (byte) cpus, (int) c.number(1));
            }
            case "krun_set_root" -> lib.krun_set_root(ctx, c.string(0));
            case "krun_add_virtiofs3" -> lib.krun_add_virtiofs3(ctx, c.string(0), c.string(1), c.number(2), c.flag(3));
            case "krun_add_net_tap" -> lib.krun_add_net_tap(ctx, c.string(0), c.mac(1).bytes(), (int) c.number(2),
                    (int) c.number(3));
            case "krun_add_net_unixstream" -> lib.krun_add_net_unixstream(ctx, c.string(0), -1, c.mac(1).bytes(),
                    (int) c.number(2), (int) c.number(3));
            case "krun_disable_implicit_vsock" -> lib.krun_disable_implicit_vsock(ctx);
            case "krun_add_vsock" -> lib.krun_add_vsock(ctx, (int) c.number(0));
            case "krun_add_vsock_port2" -> lib.krun_add_vsock_port2(ctx, (int) c.number(0), c.string(1), c.flag(2));
            case "krun_set_exec" -> lib.krun_set_exec(ctx, c.string(0), c.strings(1), c.strings(2));
            case "krun_set_env" -> lib.krun_set_env(ctx, c.strings(0));
            case "krun_set_workdir" -> lib.krun_set_workdir(ctx, c.string(0));
            case "krun_set_console_output" -> lib.krun_set_console_output(ctx, c.string(0));
            case "krun_set_kernel" -> lib.krun_set_kernel(ctx, c.string(0), (int) c.number(1), c.string(2), c.string(3));
            case "krun_start_enter" -> {
                entered = true;
                yield lib.krun_start_enter(ctx);
            }
            default -> throw new IllegalArgumentException("krunbox does not make the libkrun call " + c.function());
        };
        if (rc < 0) {
            throw new KrunException(c.function(), c.render(), rc);
        }
    }

    /**
     * libkrun takes a missing root or volume directory without complaint and only fails at boot,
     * with nothing on the console; refuse it here, with the error the call would have given.
     */
    private static void checkHostPaths(KrunCall c) {
        String dir = switch (c.function()) {
            case "krun_set_root" -> c.string(0);
            case "krun_add_virtiofs3" -> c.string(1);
            default -> null;
        };
        if (dir != null && !Files.isDirectory(Path.of(dir))) {
            throw new KrunException(c.function(), c.render() + " (checked by krunbox: \"" + dir
                    + "\" is not a directory)", -2);
        }
    }

    /** Frees the context unless the VM was entered (libkrun owns it then). */
    @Override
    public void close() {
        if (!entered) {
            lib.krun_free_ctx(ctx);
        }
    }
}
