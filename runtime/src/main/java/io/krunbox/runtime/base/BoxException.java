package io.krunbox.runtime.base;

/** A box could not be run for a reason the user can act on; the CLI reports it with exit 125. */
public class BoxException extends RuntimeException {
    public BoxException(String message) {
        super(message);
    }

    public BoxException(String message, Throwable cause) {
        super(message, cause);
    }
}
