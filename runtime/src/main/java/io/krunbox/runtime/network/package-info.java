/** Bridge networks: subnets and IPAM leases in state.db, bridges, veth/TAP links, nftables
 *  rules, /etc/hosts for name resolution, and published-port forwarders. */
package io.krunbox.runtime.network;
