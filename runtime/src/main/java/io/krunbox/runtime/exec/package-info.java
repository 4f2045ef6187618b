/** The host's side of the guest protocol: short socket paths, and exec into a running box
 *  (framed stdio, exit status, resize and signals). */
package io.krunbox.runtime.exec;
