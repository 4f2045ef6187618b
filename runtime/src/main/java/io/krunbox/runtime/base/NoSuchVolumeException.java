package io.krunbox.runtime.base;

/** No volume has this name. */
public final class NoSuchVolumeException extends BoxException {
    private final String volume;

    public NoSuchVolumeException(String volume) {
        super("no such volume: " + volume + " (`krunbox volume ls` lists them)");
        this.volume = volume;
    }

    public String volume() {
        return volume;
    }
}
