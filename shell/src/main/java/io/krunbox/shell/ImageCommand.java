package io.krunbox.shell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code krunbox image ...}: the image commands under one name, as in Docker ({@code ls} and {@code rm} are added by {@link Main}). */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage images.",
        subcommands = {PullCommand.class, ImageInspectCommand.class, TagCommand.class, SaveCommand.class, LoadCommand.class, ImportCommand.class, ImagePruneCommand.class,
                ImageVerifyCommand.class})
public final class ImageCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
