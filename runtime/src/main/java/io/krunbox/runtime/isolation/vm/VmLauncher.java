package io.krunbox.runtime.isolation.vm;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.isolation.BoxProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a box's VM through its {@link VmEngine}, streams the VM console to the caller, and
 * watches the boot: if guest-init has not signalled ready ({@code /.krunbox/ready}) within
 * the boot timeout, the VM is killed and the error says what was seen and what to try.
 */
public final class VmLauncher {
    private final KvmHost kvm;
    private final VmEngine engine;

    public VmLauncher(KvmHost kvm, VmEngine engine) {
        this.kvm = kvm;
        this.engine = engine;
    }

    public VmEngine engine() {
        return engine;
    }

    public VmProcess start(List<KrunCall> calls, Path boxDir, Path merged, Path consoleLog, Path shimLog,
                           BoxOutput output) throws IOException {
        return start(calls, boxDir, merged, consoleLog, shimLog, output, List.of(), List.of());
    }

    /** As above, with the engine started inside a network namespace ({@code enter}: its nsenter prefix). */
    public VmProcess start(List<KrunCall> calls, Path boxDir, Path merged, Path consoleLog, Path shimLog,
                           BoxOutput output, List<String> enter, List<Path> cgroups) throws IOException {
        Files.createDirectories(consoleLog.getParent());
        // made anew, never opened where it is: the VMM can write logs/, and a link it left there is removed, not followed
        Files.deleteIfExists(consoleLog);
        Files.write(consoleLog, new byte[0], java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Process shim = engine.start(calls, boxDir, shimLog, enter, cgroups);
        Thread tail = new Thread(() -> tail(consoleLog, shim, output), "vm-console");
        tail.setDaemon(true);
        tail.start();
        return new VmProcess(shim, tail, merged, consoleLog, shimLog);
    }

    /** Copies the console file to the caller as it grows, until the shim has ended and all is read. */
    private static void tail(Path consoleLog, Process shim, BoxOutput output) {
        byte[] buf = new byte[8192];
        try (InputStream in = Files.newInputStream(consoleLog)) {
            for (;;) {
                boolean ended = !shim.isAlive();
                int n;
                boolean any = false;
                while ((n = in.read(buf)) > 0) {
                    output.out().write(buf, 0, n);
                    any = true;
                }
                if (any) {
                    output.out().flush();
                }
                if (ended) {
                    return;
                }
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException ignored) {
            // the console went away with the box
        }
    }

    /** The shim as a box supervisor, with the boot watchdog. */
    public final class VmProcess implements BoxProcess {
        private final Process shim;
        private final Thread tail;
        private final Path merged;
        private final Path consoleLog;
        private final Path shimLog;

        VmProcess(Process shim, Thread tail, Path merged, Path consoleLog, Path shimLog) {
            this.shim = shim;
            this.tail = tail;
            this.merged = merged;
            this.consoleLog = consoleLog;
            this.shimLog = shimLog;
        }

        /**
         * Waits until guest-init reports ready (or already finished). Throws, after killing the
         * shim, when the shim dies first or the timeout passes.
         */
        public void awaitReady(String box, Duration timeout, boolean userKernel) throws InterruptedException {
            VmBootWatch.await(kvm, box, merged.getParent(), consoleLog, shimLog, timeout, userKernel, shim::isAlive, () -> {
                kill();
                try {
                    shim.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        @Override
        public boolean isAlive() {
            return shim.isAlive();
        }

        @Override
        public int waitFor() throws InterruptedException {
            int status = shim.waitFor();
            tail.join();
            return status;
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            return shim.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void terminate() {
            shim.destroy();
        }

        @Override
        public void kill() {
            shim.destroyForcibly();
        }

        @Override
        public long pid() {
            return shim.pid();
        }
    }
}
