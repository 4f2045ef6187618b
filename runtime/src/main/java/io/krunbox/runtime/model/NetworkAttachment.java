package io.krunbox.runtime.model;

import java.util.List;

/**
 * A box's place on one network: {@code --network NAME}, {@code --network-alias}, {@code --ip}.
 * The names {@code none} and {@code tsi} are modes, not networks.
 *
 * @param ip a static address, or null to let IPAM choose one
 */
public record NetworkAttachment(String network, List<String> aliases, String ip) {
    public static final String NONE = "none";
    public static final String TSI = "tsi";
    public static final String DEFAULT = "krunbox";

    public NetworkAttachment {
        if (network == null || network.isBlank()) {
            throw new IllegalArgumentException("a network attachment needs a network name");
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        for (String a : aliases) {
            if (!a.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("network alias \"" + a + "\" is not a valid host name");
            }
        }
    }

    public static NetworkAttachment of(String network) {
        return new NetworkAttachment(network, List.of(), null);
    }

    /** {@code none} or {@code tsi}: no bridge, no lease. */
    public boolean isMode() {
        return network.equals(NONE) || network.equals(TSI);
    }
}
