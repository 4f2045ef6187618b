package io.krunbox.shell;

import picocli.CommandLine.Command;

/** {@code krunbox}: boxes as libkrun micro-VMs, or sandboxes where no VM can boot. */
@Command(name = "krunbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run boxes as libkrun micro-VMs (or Linux-namespace sandboxes) from images.",
        subcommands = {RunCommand.class, ExecCommand.class, CreateCommand.class, StartCommand.class, StopCommand.class, KillCommand.class,
                RestartCommand.class, TopCommand.class, StatsCommand.class, CpCommand.class, EventsCommand.class, PsCommand.class, InspectCommand.class, LogsCommand.class, WaitCommand.class,
                RmCommand.class, RenameCommand.class, PruneCommand.class, PullCommand.class, ImagesCommand.class, RmiCommand.class, TagCommand.class,
                SaveCommand.class, LoadCommand.class, ImportCommand.class, LoginCommand.class, LogoutCommand.class,
                ImageCommand.class, NetworkCommand.class, VolumeCommand.class, PortCommand.class, ComposeCommand.class, ScriptCommand.class, ShellCommand.class, JshellCommand.class, ConvertCommand.class, DoctorCommand.class})
public final class KrunboxCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
