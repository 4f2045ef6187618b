/** Resource limits of sandbox boxes in cgroups (memory, pids, cpu quota), and the usage
 *  figures {@code stats} reads back from them. */
package io.krunbox.runtime.limits;
