/** Compose files: loading (YAML with positions, interpolation, merges, profiles), validation
 *  with file:line:column, normalization, and compilation into a runtime Topology. */
package io.krunbox.compose;
