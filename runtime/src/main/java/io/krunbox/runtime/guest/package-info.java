/** The host's side of guest-init: installing the binary into a rootfs, writing
 *  /.krunbox/config.json and reading /.krunbox/exit. */
package io.krunbox.runtime.guest;
