package io.krunbox.oci;

/** A blob's content hashed to something other than its descriptor says. */
public class UnexpectedBlobDigestException extends ImageException {
    public UnexpectedBlobDigestException(Digest expected, String actual, String where) {
        super("blob " + expected + " of " + where + " hashed to " + actual);
    }
}
