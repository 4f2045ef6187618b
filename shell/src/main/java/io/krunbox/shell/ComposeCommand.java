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
                ComposeLogsCommand.class, ComposeLsCommand.class, ComposeRunCommand.class, ComposeBoxCommands.Exec.class,
                ComposeBoxCommands.Stop.class, ComposeBoxCommands.Start.class, ComposeBoxCommands.Restart.class,
                ComposeBoxCommands.Kill.class, ComposeBoxCommands.Rm.class, ComposeBoxCommands.Wait.class,
                ComposeBoxCommands.Top.class, ComposeBoxCommands.Port.class, ComposeBoxCommands.Images.class,
                ComposeBoxCommands.Pull.class, ComposeBuildCommand.class, ComposeBoxCommands.Push.class})
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

    @Option(names = "--progress", paramLabel = "TYPE", converter = Progress.Converter.class,
            description = "How up and down report: auto, tty, plain (every plan step as it is done), json or quiet.")
    Progress progress = Progress.AUTO;

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
        return project != null ? project : normalized().name();
    }

    /**
     * The normalized project. A {@code -f} file ending in {@code .groovy} is a DSL script: its
     * topology's compose document takes the file's place in the merge.
     */
    io.krunbox.compose.convert.Normalizer.Normalized normalized() {
        java.util.Map<Path, String> generated = new java.util.HashMap<>();
        List<Path> all = new ArrayList<>();
        for (Path f : files) {
            if (f.toString().endsWith(".groovy")) {
                List<io.krunbox.dsl.TopologyDsl> ts = io.krunbox.dsl.DslRunner.run(io.krunbox.runtime.base.Invocation.current().resolve(f), List.of());
                if (ts.isEmpty()) {
                    throw new IllegalArgumentException(f + " defines no topology('NAME') { ... }");
                }
                Path doc = ts.get(0).documentPath();
                generated.put(doc, io.krunbox.compose.convert.ConfigWriter.yaml(ts.get(0).document()));
                all.add(doc);
            } else {
                all.add(f);
            }
        }
        return io.krunbox.compose.Compose.normalize(new LoadOptions(all, project, projectDirectory, profiles, envFiles,
                strict, null, null), generated);
    }

    io.krunbox.runtime.model.Topology topology() {
        return io.krunbox.compose.convert.TopologyCompiler.compile(normalized());
    }
}
