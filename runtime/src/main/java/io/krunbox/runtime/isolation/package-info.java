/** Isolation backends behind one handle: the vm (libkrun) and the sandbox (namespaces),
 *  both running the same guest-init from the same rootfs. */
package io.krunbox.runtime.isolation;
