/** Images to and from files: OCI-layout and docker-archive tars, and rootfs imports. */
package io.krunbox.oci.archive;
