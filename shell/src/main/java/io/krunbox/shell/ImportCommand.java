package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.archive.RootfsImporter;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox import rootfs.tar NAME}: a root file system tar as a one-layer image. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Make an image from a root file system tar.")
public final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TARBALL", description = "A tar (plain or gzip) of a root file system.")
    Path tarball;

    @Parameters(index = "1", paramLabel = "NAME[:TAG]")
    String name;

    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = ImageReference.parse(name);
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            ImageStore.Record r = new RootfsImporter(images.store(), images.layers())
                    .importTar(tarball, ref, krunbox.home().root());
            spec.commandLine().getOut().println(r.id());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
