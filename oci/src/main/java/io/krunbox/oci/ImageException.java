package io.krunbox.oci;

/** An image that cannot be read or used; the message names the image and the problem. */
public class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
