package io.krunbox.junit;

/** A box that runs: where to reach it and what it says. */
public interface StartedBox {
    /** The address its published ports are reached at. */
    String host();

    /** The host port that forwards to {@code boxPort}; the box must have published it. */
    int mappedPort(int boxPort);

    /** Runs a command in the box (with its environment, user and working directory) and waits for it. */
    ExecResult exec(String... command);

    /** Everything the box's workload has written so far, stdout and stderr. */
    String logs();

    String id();

    String name();
}
