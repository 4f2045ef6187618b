/** Planning: the ordered steps a command will take, printable with --dry-run and carried out step by step,
 *  so what is printed is what happens; {@link io.krunbox.runtime.plan.BoxPlanner} makes one box's plan. */
package io.krunbox.runtime.plan;
