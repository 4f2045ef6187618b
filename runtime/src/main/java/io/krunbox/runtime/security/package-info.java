/** What a box's processes may do (capabilities, seccomp, masked paths, devices, sysctls), worked
 *  out on the host from the box's security options and carried out by guest-init. */
package io.krunbox.runtime.security;
