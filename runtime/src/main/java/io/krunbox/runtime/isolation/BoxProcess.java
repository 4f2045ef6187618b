package io.krunbox.runtime.isolation;

import java.time.Duration;

/** The supervisor of a running box, whatever its isolation. */
public interface BoxProcess {
    boolean isAlive();

    /** Waits for the supervisor to end and returns its exit status. */
    int waitFor() throws InterruptedException;

    /** Waits at most {@code timeout}; true when it ended. */
    boolean waitFor(Duration timeout) throws InterruptedException;

    /** Asks the box to stop: SIGTERM to its init, which forwards it to the workload. */
    void terminate();

    /**
     * Asks the box to stop with {@code signal} (a name without SIG): its init passes it to the
     * workload. A VM process is ended as by {@link #terminate()}: the guest has no stop message yet.
     */
    default void stop(String signal) {
        if (signal.equals("KILL")) {
            kill();
        } else if (signal.equals("TERM") || initHandle().isEmpty() || initHandle().get().pid() == pid()) {
            terminate();
        } else {
            signal(initHandle().get(), signal);
        }
    }

    /** Sends {@code signal} (a name without SIG) to {@code process}: TERM and KILL through the JDK, the rest with kill(1). */
    static void signal(ProcessHandle process, String signal) {
        switch (signal) {
            case "TERM" -> process.destroy();
            case "KILL" -> process.destroyForcibly();
            default -> io.krunbox.runtime.base.HostCommand.tryRun("kill", "-s", signal, Long.toString(process.pid()));
        }
    }

    /** Ends the box at once. */
    void kill();

    /** The supervisor's pid on the host. */
    long pid();

    /** The box's own init on the host (guest-init in a sandbox, the VM process for a VM). */
    default java.util.Optional<ProcessHandle> initHandle() {
        return ProcessHandle.of(pid());
    }
}
