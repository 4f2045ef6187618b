package io.krunbox.runtime.base;

/** No network has this name or id. */
public final class NoSuchNetworkException extends BoxException {
    private final String network;

    public NoSuchNetworkException(String network) {
        super("no such network: " + network + " (`krunbox network ls` lists them; `krunbox network create " + network + "` makes it)");
        this.network = network;
    }

    public String network() {
        return network;
    }
}
