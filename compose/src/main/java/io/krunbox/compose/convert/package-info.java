/** From a loaded tree to the normalized compose model (what `compose config` prints) and
 *  from that to the runtime's Topology, with every problem reported at its file:line:column. */
package io.krunbox.compose.convert;
