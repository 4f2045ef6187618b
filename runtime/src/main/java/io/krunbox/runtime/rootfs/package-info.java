/** A box's root file system: cached image layers under an overlay (upper/, work/, merged/),
 *  or a flat copy where overlayfs is unavailable. Always materialised at merged/. */
package io.krunbox.runtime.rootfs;
