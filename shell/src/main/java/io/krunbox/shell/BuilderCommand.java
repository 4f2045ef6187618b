package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.build.exec.ImageBuilder;
import io.krunbox.runtime.base.KrunboxHome;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code krunbox builder prune}: the build cache and the cache mounts of RUN --mount=type=cache. */
@Command(name = "builder", mixinStandardHelpOptions = true, description = "Manage the build cache.",
        subcommands = BuilderCommand.Prune.class)
public final class BuilderCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give a subcommand: prune");
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove the build cache and the cache mounts.")
    static final class Prune implements Callable<Integer> {
        @Option(names = {"-f", "--force"}, description = "Do not ask (krunbox never asks).")
        boolean force;

        @Option(names = {"-a", "--all"}, description = "Everything (the same as without: krunbox keeps no other cache).")
        boolean all;

        @Override
        public Integer call() throws Exception {
            int n = ImageBuilder.prune(KrunboxHome.fromEnvironment());
            Invocation.current().out().println("Deleted build cache entries: " + n);
            return 0;
        }
    }
}
