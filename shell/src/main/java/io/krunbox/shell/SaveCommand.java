package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.archive.ImageArchive;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox save}: images to a tar (an OCI layout that docker-archive readers also take). */
@Command(name = "save", mixinStandardHelpOptions = true, description = "Save images to a tar archive.")
public final class SaveCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> targets;

    @Mixin ImageOptions options;

    @Override
    public Integer call() throws Exception {
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            List<ImageStore.Record> records = new ArrayList<>();
            for (String t : targets) {
                records.add(images.find(t).orElseThrow(() -> new ImageException("no such image: " + t)));
            }
            ImageArchive archive = new ImageArchive(images.store(), images.layers());
            if (output == null) {
                if (Invocation.current().terminal()) {
                    throw new ImageException("refusing to write a tar to a terminal: use -o FILE or a redirect");
                }
                try (OutputStream out = Invocation.current().stdout()) {
                    archive.save(records, out);
                }
                return 0;
            }
            OutputFile.write(output, out -> archive.save(records, out));
        }
        return 0;
    }
}
