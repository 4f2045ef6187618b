package io.krunbox.runtime.base;

/** A box name another box already has: a generated name is drawn again, a given one is the user's to change. */
public final class BoxNameTakenException extends BoxException {
    public BoxNameTakenException(String message) {
        super(message);
    }
}
