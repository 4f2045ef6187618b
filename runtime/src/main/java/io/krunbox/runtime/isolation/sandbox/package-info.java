/** The sandbox isolation: guest-init as PID 1 of fresh mount, pid, net, uts and ipc
 *  namespaces made by bubblewrap over the box's rootfs. */
package io.krunbox.runtime.isolation.sandbox;
