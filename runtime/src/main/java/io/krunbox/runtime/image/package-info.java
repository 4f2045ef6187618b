/** Finds the image a box names: the built-in demo image, or an OCI layout on disk.
 *  Registry pulls belong to the image store. */
package io.krunbox.runtime.image;
