/** Image layers on disk: the safe unpacker (gzip/zstd/tar, whiteouts) and the cache of
 *  unpacked layer directories that boxes share as overlay lowerdirs. */
package io.krunbox.oci.layer;
