package io.krunbox.oci;

import java.util.Map;

/** An OCI content descriptor: what a blob is, its digest and its size. */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
