/** Launching and supervision: a box's process started under krunbox-monitor or a supervisor JVM, its health checks,
 *  its end recorded and its networks and mounts taken down again. */
package io.krunbox.runtime.launch;
