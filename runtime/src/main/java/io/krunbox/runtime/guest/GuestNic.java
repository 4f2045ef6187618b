package io.krunbox.runtime.guest;

/**
 * One network interface of a box as guest-init configures it (found by MAC), and the host
 * link behind it: a veth whose peer is {@code peer} in the box's namespace, or a TAP.
 */
public record GuestNic(String network, String hostLink, String peer, String mac, String address, int prefix,
                       String gateway, boolean defaultRoute, String bridge) {}
