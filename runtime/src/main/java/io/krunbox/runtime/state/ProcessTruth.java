package io.krunbox.runtime.state;

import java.util.Optional;

/**
 * Whether a recorded process is still the one krunbox started: the pid must be alive and
 * have the recorded start time, so a pid the kernel reused is never taken for a box's.
 */
public final class ProcessTruth {
    private ProcessTruth() {}

    public static String startOf(ProcessHandle p) {
        return p.info().startInstant().map(Object::toString).orElse("");
    }

    /** The live process a record names, if it is still that process. */
    public static Optional<ProcessHandle> live(Long pid, String start) {
        if (pid == null) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> !zombie(p.pid()))
                .filter(p -> start == null || start.isEmpty() || start.equals(startOf(p)));
    }

    /** A killed process waiting for its parent to reap it: gone, though the JDK still calls it alive. */
    static boolean zombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (java.io.IOException gone) {
            return true;
        }
    }
}
