package io.krunbox.oci;

/** A layer entry that would write outside the directory it is unpacked into. */
public class UnsafeLayerEntryException extends ImageException {
    public UnsafeLayerEntryException(String entry, String why) {
        super("layer entry \"" + entry + "\" rejected: " + why);
    }
}
