/** Volumes: named and anonymous volumes in state.db and under volumes/, and the
 *  resolution of a box's -v, --mount and --tmpfs into what its launcher mounts. */
package io.krunbox.runtime.volume;
