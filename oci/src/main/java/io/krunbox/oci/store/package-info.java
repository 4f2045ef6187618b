/** What krunbox keeps: verified content-addressed blobs, and the image records in state.db. */
package io.krunbox.oci.store;
