/** Carrying out a Topology: up (networks, volumes, boxes in dependency order, gated by
 *  conditions), down, and the project's boxes found from their labels alone. */
package io.krunbox.runtime.topology;
