package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.registry.ImagePusher;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox push IMAGE [DESTINATION]}: an image to a registry. */
@Command(name = "push", mixinStandardHelpOptions = true, description = {"Push an image to a registry (as pull, with the",
        "credentials of krunbox login; 127.0.0.1 and localhost over plain HTTP)."})
public final class PushCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DESTINATION", description = "Where to (default: IMAGE's own name).")
    String destination;

    @Option(names = {"-a", "--all-tags"}, description = "Push every tag of IMAGE's repository.")
    boolean allTags;

    @Option(names = {"-q", "--quiet"}, description = "Print the manifest digest only.")
    boolean quiet;

    @Mixin ImageOptions options;

    @Override
    public Integer call() throws Exception {
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            push(images, image, destination, allTags, quiet);
        }
        return 0;
    }

    /** Pushes {@code image} (with {@code allTags}: every tag of its repository) to {@code destination}, else its own name. */
    static void push(Images images, String image, String destination, boolean allTags, boolean quiet)
            throws java.io.IOException {
        List<String[]> pushes = new ArrayList<>(); // local name, destination
        if (allTags) {
            ImageReference repo = ImageReference.parse(image);
            for (ImageStore.Record r : images.store().list()) {
                for (String t : r.tags()) {
                    ImageReference ref = ImageReference.parse(t);
                    if (ref.registry().equals(repo.registry()) && ref.repository().equals(repo.repository())) {
                        ImageReference dest = destination == null ? ref
                                : ImageReference.parse(destination).withTag(ref.tag());
                        pushes.add(new String[] {t, dest.toString()});
                    }
                }
            }
            if (pushes.isEmpty()) {
                throw new IllegalArgumentException("no tag of " + repo.familiarName() + " is held here");
            }
        } else {
            pushes.add(new String[] {image, destination == null ? image : destination});
        }
        for (String[] p : pushes) {
            ImageStore.Record r = images.find(p[0]).orElseThrow(() -> new IllegalArgumentException("no image \""
                    + p[0] + "\" here: build, pull or tag it first"));
            ImageReference dest = ImageReference.parse(p[1]);
            String mountFrom = null;
            if (r.repoDigest() != null) {
                ImageReference from = ImageReference.parse(r.repoDigest());
                if (from.registry().equals(dest.registry())) {
                    mountFrom = from.repository();
                }
            }
            ImagePusher.Report report = new ImagePusher(images.registry(), images.blobs()).push(r.manifestDigest(), dest,
                    mountFrom, line -> {
                        if (!quiet) {
                            Invocation.current().err().println(line);
                        }
                    });
            Invocation.current().out().println(quiet ? report.manifest().toString()
                    : dest.withTag(dest.tag() != null ? dest.tag() : "latest") + ": digest: " + report.manifest());
        }
    }
}
