package io.krunbox.runtime.base;

/** A network or volume of this name exists already. */
public final class NameInUseException extends BoxException {
    public NameInUseException(String kind, String name) {
        super(kind + " " + name + " already exists: choose another name, or remove it first (`krunbox " + kind + " rm "
                + name + "`)");
    }
}
