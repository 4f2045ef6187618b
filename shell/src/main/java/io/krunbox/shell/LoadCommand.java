package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.archive.ImageArchive;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code krunbox load}: images from an OCI-layout tar or a docker-archive. */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Load images from a tar archive.")
public final class LoadCommand implements Callable<Integer> {
    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read FILE instead of standard input.")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing.")
    boolean quiet;

    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Krunbox krunbox = options.open();
             InputStream in = input == null ? Invocation.current().stdin() : Files.newInputStream(input)) {
            Images images = krunbox.images();
            var loaded = new ImageArchive(images.store(), images.layers()).load(in, krunbox.home().root());
            if (!quiet) {
                for (ImageStore.Record r : loaded) {
                    if (r.tags().isEmpty()) {
                        spec.commandLine().getOut().println("Loaded image ID: " + r.id());
                    }
                    r.tags().forEach(t -> spec.commandLine().getOut().println("Loaded image: "
                            + ImageReference.parse(t).familiarTagged()));
                }
                spec.commandLine().getOut().flush();
            }
        }
        return 0;
    }
}
