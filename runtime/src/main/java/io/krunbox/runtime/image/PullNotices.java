package io.krunbox.runtime.image;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.registry.PullListener;
import java.io.PrintStream;

/** Plain-text pull progress for {@code run}, one line per layer state, as Docker prints without a terminal. */
public final class PullNotices implements PullListener {
    private final PrintStream out;
    private final String reference;
    private final boolean missing;

    /** For a pull because the image is missing: {@code run} says so before the pull's lines. */
    public PullNotices(PrintStream out, String reference) {
        this(out, reference, true);
    }

    public PullNotices(PrintStream out, String reference, boolean missing) {
        this.out = out;
        this.reference = reference;
        this.missing = missing;
    }

    @Override
    public void resolved(String resolved, String digest, int layers) {
        // said only once a pull really starts: a listener is made before the store is looked at
        if (missing) {
            out.println("Unable to find image '" + reference + "' locally");
        }
        out.println("Pulling " + resolved + " (" + layers + " layers)");
    }

    @Override
    public synchronized void status(Descriptor layer, String status) {
        if (!status.equals("Downloading") && !status.equals("Extracting")) {
            out.println(layer.digest().shortHex() + ": " + status);
        }
    }
}
