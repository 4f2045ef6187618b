package io.krunbox.junit;

/** What a command run in a box gave: its exit code and its output. */
public record ExecResult(int exitCode, String stdout, String stderr) {}
