package io.krunbox.runtime.state;

import java.util.Locale;

/** Where a box is in its life, as state.db records it and {@code ps} and {@code inspect} print it. */
public enum BoxStatus {
    /** Its record exists and its rootfs, networks or process are being set up. */
    CREATING,
    /** Made and never started, or stopped to be started again ({@code create}, {@code start}). */
    CREATED,
    RUNNING,
    /** Ended, and its restart policy brings it back after the backoff. */
    RESTARTING,
    /** Its workload ended (the exit code is recorded), or it was stopped. */
    EXITED,
    /** krunbox could not start it; the reason says why. */
    FAILED;

    /** The word state.db stores and the CLI prints: {@code running}, {@code exited}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Creating, running or restarting: something (a monitor or a supervisor) is, or should be, alive for it. */
    public boolean active() {
        return this == CREATING || this == RUNNING || this == RESTARTING;
    }

    /** The status a stored word names. */
    public static BoxStatus of(String word) {
        for (BoxStatus s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        throw new IllegalStateException("state.db holds an unknown box status '" + word + "'");
    }

    @Override
    public String toString() {
        return word();
    }
}
