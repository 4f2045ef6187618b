package io.krunbox.build.exec;

/** A build that failed: which step and why; {@code exitCode} is a failed RUN's own code (or 1). */
public final class BuildException extends RuntimeException {
    private final int exitCode;

    public BuildException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = 1;
    }

    public int exitCode() {
        return exitCode;
    }
}
