package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.state.BoxStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code krunbox rmi}: untag, and forget an image once no tag is left. An image a box was
 * made from is refused unless forced. Blobs and layers go with {@code image prune}.
 */
@Command(name = "rmi", mixinStandardHelpOptions = true,
        description = {"Remove images.", "Exit status 1 when an image could not be removed."})
public final class RmiCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Remove even when boxes were made from the image.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names, ids or digests.")
    List<String> targets;

    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        int status = 0;
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            BoxStore boxes = krunbox.boxes().store();
            for (String target : targets) {
                ImageStore.Record r = images.find(target).orElse(null);
                if (r == null) {
                    err.println("Error: no such image: " + target);
                    status = 1;
                    continue;
                }
                boolean byName = !target.replace("sha256:", "").matches("[0-9a-f]{4,64}") && !target.contains("@");
                if (byName && r.tags().size() > 1) {
                    ImageReference ref = ImageReference.parse(target);
                    images.store().untag(ref);
                    out.println("Untagged: " + ref.familiarTagged());
                    continue;
                }
                List<BoxStore.BoxRecord> users = boxes.usingImage(r.manifestDigest().toString());
                if (!users.isEmpty() && !force) {
                    err.println("Error: image " + target + " (" + r.shortId() + ") is used by box " + users.get(0).name()
                            + (users.size() > 1 ? " and " + (users.size() - 1) + " more" : "")
                            + ": remove the box first, or use -f");
                    status = 1;
                    continue;
                }
                r.tags().forEach(t -> out.println("Untagged: " + ImageReference.parse(t).familiarTagged()));
                images.store().delete(r.id());
                out.println("Deleted: " + r.id());
            }
        }
        out.flush();
        err.flush();
        return status;
    }
}
