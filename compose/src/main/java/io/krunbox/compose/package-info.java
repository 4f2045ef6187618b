/** Compose files: loading, validation and conversion into a runtime Topology.
 *  The loader arrives with the compose issue; the module exists so the reactor is whole. */
package io.krunbox.compose;
