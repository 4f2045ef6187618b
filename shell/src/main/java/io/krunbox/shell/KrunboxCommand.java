package io.krunbox.shell;

import picocli.CommandLine.Command;

/** {@code krunbox}: boxes as libkrun micro-VMs, or sandboxes where no VM can boot. */
@Command(name = "krunbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run boxes as libkrun micro-VMs (or Linux-namespace sandboxes) from images.")
public final class KrunboxCommand implements Runnable {
    /**
     * The commands, added by {@link Main#commandLine()}; a single command line builds only the one
     * it names (picocli reads every command's annotations when it is added: ~0.3 s for all of them).
     */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(RunCommand.class, ExecCommand.class,
            CreateCommand.class, StartCommand.class, StopCommand.class, KillCommand.class, RestartCommand.class,
            TopCommand.class, StatsCommand.class, CpCommand.class, EventsCommand.class, PsCommand.class,
            InspectCommand.class, LogsCommand.class, WaitCommand.class, RmCommand.class, RenameCommand.class,
            PruneCommand.class, PullCommand.class, ImagesCommand.class, RmiCommand.class, TagCommand.class,
            SaveCommand.class, LoadCommand.class, ImportCommand.class, LoginCommand.class, LogoutCommand.class,
            ImageCommand.class, NetworkCommand.class, VolumeCommand.class, PortCommand.class, ComposeCommand.class,
            KubeCommand.class, ScriptCommand.class, ShellCommand.class, JshellCommand.class, ConvertCommand.class, CompletionCommand.class, BuildCommand.class, BuilderCommand.class, CommitCommand.class, DiffCommand.class, ExportCommand.class, HistoryCommand.class, SnapshotCommand.class, PushCommand.class, HealthcheckCommand.class, DoctorCommand.class,
            ServerCommand.class);

    /** The command class named {@code word} (its name or an alias), or null. */
    static Class<?> named(String word) {
        for (Class<?> c : SUBCOMMANDS) {
            Command a = c.getAnnotation(Command.class);
            if (a.name().equals(word) || java.util.Arrays.asList(a.aliases()).contains(word)) {
                return c;
            }
        }
        return null;
    }

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
