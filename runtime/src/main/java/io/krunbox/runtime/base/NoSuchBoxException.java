package io.krunbox.runtime.base;

/** No box has this id, id prefix or name. */
public final class NoSuchBoxException extends BoxException {
    private final String box;

    public NoSuchBoxException(String box) {
        super("no such box: " + box + " (`krunbox ps -a` lists them)");
        this.box = box;
    }

    public String box() {
        return box;
    }
}
