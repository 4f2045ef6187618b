/** A box's root file system: cached image layers under an overlay (upper/, work/, merged/), or a flat copy where
 *  overlayfs is unavailable, always materialised at merged/; and copying files in and out of it ({@code cp}). */
package io.krunbox.runtime.rootfs;
