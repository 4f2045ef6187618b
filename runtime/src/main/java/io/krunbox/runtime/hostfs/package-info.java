/** Files inside a box's root, reached through file descriptors (openat2 with RESOLVE_IN_ROOT, by JNA):
 *  the host never follows a link the box planted. The second native package beside isolation.vm. */
package io.krunbox.runtime.hostfs;
