/** Bridge networks: subnets and IPAM leases in state.db, bridges, veth/TAP links, nftables
 *  rules (published ports as DNAT in the kernel), and /etc/hosts for name resolution. */
package io.krunbox.runtime.network;
