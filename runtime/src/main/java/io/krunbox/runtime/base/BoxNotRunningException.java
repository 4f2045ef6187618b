package io.krunbox.runtime.base;

/** What was asked needs a running box (exec, kill, cp into its processes, top), and this one is not. */
public final class BoxNotRunningException extends BoxException {
    private final String box;
    private final String status;

    public BoxNotRunningException(String box, String status) {
        super("box " + box + " is not running (" + status + "): start it first (`krunbox start " + box + "`)");
        this.box = box;
        this.status = status;
    }

    public String box() {
        return box;
    }

    public String status() {
        return status;
    }
}
