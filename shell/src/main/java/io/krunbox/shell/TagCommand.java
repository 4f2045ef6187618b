package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code krunbox tag SOURCE TARGET}: another name for an image. */
@Command(name = "tag", mixinStandardHelpOptions = true, description = "Give an image another name.")
public final class TagCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "Image name, id or digest.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "New NAME[:TAG].")
    String target;

    @Mixin ImageOptions options;

    @Override
    public Integer call() {
        ImageReference ref = ImageReference.parse(target);
        if (ref.digest() != null) {
            throw new ImageException("tag target \"" + target + "\" must not have a digest");
        }
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            ImageStore.Record r = images.find(source).orElseThrow(() ->
                    new ImageException("no such image: " + source));
            images.store().tag(r, ref);
        }
        return 0;
    }
}
