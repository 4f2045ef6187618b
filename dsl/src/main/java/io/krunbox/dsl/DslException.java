package io.krunbox.dsl;

/** A script is wrong: the message names the script, the line, and what would be valid there. */
public final class DslException extends RuntimeException {
    public DslException(String message, Throwable cause) {
        super(message, cause);
    }
}
