package io.krunbox.shell;

import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.Krunbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options every image command shares, and the store they open. */
final class ImageOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Use plain HTTP for this registry (127.0.0.1 and localhost always do).")
    List<String> insecureRegistries = new ArrayList<>();

    Krunbox open() {
        return Krunbox.open(KrunboxHome.fromEnvironment(), Set.copyOf(insecureRegistries));
    }
}
