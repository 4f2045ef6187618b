package io.krunbox.shell;

import io.krunbox.compose.load.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code krunbox compose ...}: compose files run as boxes, with Docker Compose's commands and flags. */
@Command(name = "compose", mixinStandardHelpOptions = true,
        description = {"Run a compose project as boxes.",
                "Files: -f (repeatable), else compose.yaml / docker-compose.yml (+ compose.override.yaml) here or above."},
        subcommands = {ComposeConfigCommand.class, ComposeUpCommand.class, ComposeDownCommand.class, ComposePsCommand.class,
                ComposeLogsCommand.class, ComposeLsCommand.class})
public final class ComposeCommand implements Runnable {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A compose file (repeatable; merged in order).")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "The project name.")
    String project;

    @Option(names = "--project-directory", paramLabel = "DIR", description = "The project directory (default: the first file's).")
    Path projectDirectory;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "Enable a profile (repeatable; COMPOSE_PROFILES too).")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Variables for interpolation instead of .env.")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = "--strict", description = "Unknown keys are errors, not warnings.")
    boolean strict;

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    LoadOptions options() {
        return new LoadOptions(files, project, projectDirectory, profiles, envFiles, strict, null, null);
    }

    /** The project name without loading files when -p is given (down and ps work from state alone). */
    String projectName() {
        return project != null ? project : io.krunbox.compose.Compose.normalize(options()).name();
    }
}
