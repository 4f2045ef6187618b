/** The Groovy DSL over plain Java builders, compiling to the same Topology as compose files.
 *  The builders arrive with the DSL issue; the module exists so the reactor is whole. */
package io.krunbox.dsl;
