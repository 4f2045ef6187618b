package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.image.Images;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox logout}: forget a registry's stored credentials. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Log out of a registry.")
public final class LogoutCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REGISTRY")
    String registry;

    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            boolean removed = images.credentials().remove(registry);
            spec.commandLine().getOut().println(removed ? "Removing login credentials for " + registry
                    : "Not logged in to " + registry);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
