package io.krunbox.runtime.isolation.vm;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.guest.BoxControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The boot watchdog of a VM box: guest-init must report ready (or have finished) within the
 * boot timeout; if the VM's process ends first, or the time passes (the VM is killed then),
 * the error says what was seen and what to try. Used for attached VMs and for those under
 * krunbox-monitor alike.
 */
public final class VmBootWatch {
    private VmBootWatch() {}

    /**
     * Waits for the box in {@code boxDir}; {@code alive} says whether its VM process still runs,
     * {@code kill} ends it when the time is up.
     */
    public static void await(KvmHost kvm, String box, Path boxDir, Path consoleLog, Path shimLog, Duration timeout,
                             boolean userKernel, BooleanSupplier alive, Runnable kill) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BoxControl control = BoxControl.of(boxDir);
        Path ready = control.ready();
        Path exit = control.exit();
        while (System.nanoTime() < deadline) {
            if (Files.exists(ready, LinkOption.NOFOLLOW_LINKS) || Files.exists(exit, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (!alive.getAsBoolean()) {
                throw new BoxException("box " + box + " (vm) ended before guest-init started: " + seen(kvm, consoleLog)
                        + "; the shim said: " + shimSaid(shimLog) + hint(kvm, userKernel));
            }
            Thread.sleep(20);
        }
        kill.run();
        throw new BoxException("box " + box + " (vm) did not boot within " + timeout.toSeconds() + " s: "
                + seen(kvm, consoleLog) + hint(kvm, userKernel) + " (--boot-timeout SECONDS waits longer)");
    }

    private static String seen(KvmHost kvm, Path consoleLog) {
        long bytes;
        try {
            bytes = Files.size(consoleLog);
        } catch (IOException e) {
            bytes = 0;
        }
        return "the guest wrote " + bytes + " bytes to its console and guest-init never signalled ready"
                + " (KVM here: " + kvm.kind() + ")";
    }

    private static String hint(KvmHost kvm, boolean userKernel) {
        String why = kvm.whyNotBootable(userKernel);
        return (why != null && !kvm.pvm() ? ". Cause: " + why : "")
                + ". Try --isolation sandbox" + (userKernel ? "" : ", or --kernel PATH with a kernel this host can boot");
    }

    /** The shim's last words (its own log, or the monitor's record of its output). */
    private static String shimSaid(Path shimLog) {
        try {
            List<String> lines = new ArrayList<>();
            for (String l : Files.readAllLines(shimLog, StandardCharsets.UTF_8)) {
                String text = io.krunbox.runtime.logs.LogReader.text(l);
                if (!text.contains("signal chaining was deprecated") && !text.isBlank()) {
                    lines.add(text);
                }
            }
            return lines.isEmpty() ? "nothing" : String.join(" / ", lines.subList(Math.max(0, lines.size() - 3),
                    lines.size()));
        } catch (IOException e) {
            return "nothing (" + e.getMessage() + ")";
        }
    }
}
