package io.krunbox.shell;

import picocli.CommandLine;

/** Entry point of the {@code krunbox} launcher. */
public final class Main {
    /** Docker's exit code for errors of the tool itself (bad flags, a box that cannot start). */
    public static final int TOOL_ERROR = 125;

    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0 && System.console() != null) {
            args = new String[] {"shell"}; // krunbox alone on a terminal: the shell
        }
        System.exit(commandLine().execute(ComposeShortcut.rewrite(args)));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KrunboxCommand());
        // Docker's names inside "image"; at the top level "rm" and "ls" belong to boxes
        CommandLine image = cli.getSubcommands().get("image");
        image.addSubcommand("ls", new ImagesCommand());
        image.addSubcommand("rm", new RmiCommand());
        cli.setStopAtPositional(true);
        toolErrorsExitWith125(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("krunbox: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (System.getenv("KRUNBOX_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return TOOL_ERROR;
        });
        return cli;
    }

    /** Bad flags and failures of krunbox itself exit 125 in every subcommand, as in Docker. */
    private static void toolErrorsExitWith125(CommandLine cli) {
        cli.getCommandSpec().exitCodeOnInvalidInput(TOOL_ERROR);
        cli.getCommandSpec().exitCodeOnExecutionException(TOOL_ERROR);
        cli.getSubcommands().values().forEach(Main::toolErrorsExitWith125);
    }
}
