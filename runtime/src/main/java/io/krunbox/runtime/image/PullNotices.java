package io.krunbox.runtime.image;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.registry.PullListener;
import java.io.PrintStream;

/** Plain-text pull progress for {@code run}, one line per layer state, as Docker prints without a terminal. */
public final class PullNotices implements PullListener {
    private final PrintStream out;

    public PullNotices(PrintStream out, String reference) {
        this.out = out;
        out.println("Unable to find image '" + reference + "' locally");
    }

    @Override
    public void resolved(String reference, String digest, int layers) {
        out.println("Pulling " + reference + " (" + layers + " layers)");
    }

    @Override
    public synchronized void status(Descriptor layer, String status) {
        if (!status.equals("Downloading") && !status.equals("Extracting")) {
            out.println(layer.digest().shortHex() + ": " + status);
        }
    }
}
