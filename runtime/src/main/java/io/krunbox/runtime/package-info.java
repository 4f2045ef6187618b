/** The runtime: turns a box spec into a plan and carries it out, in a VM or a sandbox.
 *  Entry points are {@link io.krunbox.runtime.BoxRunner} and {@link io.krunbox.runtime.BoxPlanner}. */
package io.krunbox.runtime;
