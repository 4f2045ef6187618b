package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.image.Images;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code krunbox image verify}: re-hash every blob; exit 1 when one is not what its name says. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Re-hash every stored blob.")
public final class ImageVerifyCommand implements Callable<Integer> {
    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> problems;
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            problems = images.blobs().verify();
            int n = images.blobs().all().size();
            problems.forEach(spec.commandLine().getErr()::println);
            spec.commandLine().getOut().println(problems.isEmpty() ? n + " blobs verified"
                    : problems.size() + " of " + n + " blobs are corrupt: remove the images that use them and pull again");
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return problems.isEmpty() ? 0 : 1;
    }
}
