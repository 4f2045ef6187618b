/** Talking to registries (distribution API v2 over java.net.http): authentication,
 *  manifests and blobs, retries and resumable downloads, and the puller that uses them. */
package io.krunbox.oci.registry;
