package io.krunbox.oci;

import java.nio.file.Path;
import java.util.List;

/**
 * An image ready to be unpacked: its manifest digest, config, and layers bottom-first with
 * their uncompressed diff ids. {@code source} says where it came from, for plans and errors.
 */
public record Image(String source, Digest manifestDigest, ImageConfig config, List<Layer> layers) {
    public Image {
        layers = List.copyOf(layers);
    }

    /** One layer: the compressed blob (where it is, what it is) and its diff id. */
    public record Layer(Descriptor blob, Digest diffId, Path path) {}
}
