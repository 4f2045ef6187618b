package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.Platform;
import io.krunbox.oci.registry.PullListener;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox pull}: fetch an image from a registry into the store. */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Download an image from a registry.")
public final class PullCommand implements Callable<Integer> {
    @Option(names = {"-q", "--quiet"}, description = "Print only the image name.")
    boolean quiet;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform to pull (default: this host's).")
    String platform;

    @Mixin ImageOptions options;

    @Parameters(paramLabel = "IMAGE", description = "The image: NAME[:TAG] or NAME@DIGEST.")
    String reference;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        ImageReference ref = ImageReference.parse(reference);
        var out = spec.commandLine().getOut();
        PullListener listener = quiet ? PullListener.QUIET : new PullProgress(out, Invocation.current().terminal());
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            ImageStore.Record r = images.pull(reference, platform == null ? Platform.host() : Platform.parse(platform),
                    listener);
            if (!quiet) {
                out.println("Digest: " + r.repoDigest().substring(r.repoDigest().indexOf('@') + 1));
                out.println("Status: Downloaded image for " + ref.familiarTagged() + " (" + r.platform() + ")");
            }
            out.println(ref);
        }
        return 0;
    }
}
