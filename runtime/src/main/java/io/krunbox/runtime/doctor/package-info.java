/** {@code krunbox doctor}: checks of the host (libkrun, KVM and its kind, bubblewrap,
 *  overlayfs, cgroups, guest-init), each OK, WARN or FAIL with the fix. */
package io.krunbox.runtime.doctor;
