package io.krunbox.runtime.base;

/** Every address of a network's subnet is leased. */
public final class NetworkFullException extends BoxException {
    public NetworkFullException(String network, String subnet) {
        super("network " + network + " is full: all addresses of " + subnet
                + " are leased; remove a box or use a wider --subnet");
    }
}
