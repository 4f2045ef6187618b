/** OCI images: digests, descriptors, image layouts on disk and the layer unpacker.
 *  Depends on nothing else of krunbox. */
package io.krunbox.oci;
