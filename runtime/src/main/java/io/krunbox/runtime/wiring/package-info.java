/** Wiring a box to the host: its networks (leases, links, published ports), volumes and file shares, and the
 *  /etc/hosts entries of every box on a network. */
package io.krunbox.runtime.wiring;
