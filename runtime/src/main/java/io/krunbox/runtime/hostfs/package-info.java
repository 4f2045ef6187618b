/** Files inside a box's root, resolved without following a link out of it: by descriptor (openat2 with RESOLVE_IN_ROOT)
 *  while the box runs, by a pure-Java walk while it does not; the host never follows a link the box planted. */
package io.krunbox.runtime.hostfs;
