package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.image.ImagePruner;
import io.krunbox.runtime.image.Images;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code krunbox image prune}: dangling images, then blobs and layers nothing needs. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Remove untagged images (-a: every image no box uses) and unreferenced blobs and layers.")
public final class ImagePruneCommand implements Callable<Integer> {
    @Option(names = {"-a", "--all"}, description = "Remove every image no box was made from, not only untagged ones.")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not ask (krunbox never asks; accepted for Docker's scripts).")
    boolean force;

    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            ImagePruner.Result r = krunbox.pruner().prune(all);
            if (!r.images().isEmpty()) {
                out.println("Deleted Images:");
                r.images().forEach(d -> out.println("deleted: " + d));
                out.println();
            }
            out.println("Deleted " + r.blobs() + " blobs and " + r.layers() + " layers");
            out.println("Total reclaimed space: " + PullProgress.size(r.bytes()));
        }
        out.flush();
        return 0;
    }
}
