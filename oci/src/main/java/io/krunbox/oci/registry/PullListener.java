package io.krunbox.oci.registry;

import io.krunbox.oci.Descriptor;

/** What a pull reports as it goes; the CLI draws progress bars from it. */
public interface PullListener {
    PullListener QUIET = new PullListener() {};

    default void resolved(String reference, String digest, int layers) {}

    /** Bytes of a layer so far; called often, from download threads. */
    default void progress(Descriptor layer, long done) {}

    /** A layer changed state: "Already exists", "Downloading", "Extracting", "Pull complete". */
    default void status(Descriptor layer, String status) {}
}
