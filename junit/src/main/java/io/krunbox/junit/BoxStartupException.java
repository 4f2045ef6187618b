package io.krunbox.junit;

/** A box did not start, or did not become ready in time: the message says which and shows its last log lines. */
public final class BoxStartupException extends RuntimeException {
    public BoxStartupException(String message) {
        super(message);
    }

    public BoxStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
