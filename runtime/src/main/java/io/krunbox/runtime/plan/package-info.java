/** Plans: the ordered steps a command will take, printable with --dry-run and executed
 *  step by step, so what is printed is what happens. */
package io.krunbox.runtime.plan;
