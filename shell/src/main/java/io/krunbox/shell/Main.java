package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import picocli.CommandLine;

/** Entry point of the {@code krunbox} launcher. */
public final class Main {
    /** Docker's exit code for errors of the tool itself (bad flags, a box that cannot start). */
    public static final int TOOL_ERROR = 125;

    static {
        // picocli's factory otherwise loads groovy.lang.Closure, which starts the whole Groovy
        // runtime (~60 ms of every CLI call); no krunbox command is a Groovy closure
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
    }

    private Main() {}

    public static void main(String[] args) {
        recordSelf(args);
        int code = run(args);
        Invocation.current().flush();
        System.exit(code);
    }

    /** One call of krunbox in the current {@link Invocation}: its exit code. */
    public static int run(String[] args) {
        if (args.length == 0 && Invocation.current().terminal()) {
            args = new String[] {"shell"}; // krunbox alone on a terminal: the shell
        }
        String[] words = ComposeShortcut.rewrite(args);
        return commandLine(words.length > 0 ? words[0] : null).execute(words);
    }

    /**
     * How to run krunbox again as this process runs (its java, JVM options, class path and main
     * class, without this call's arguments), for krunbox-monitor to call when a --rm box ends.
     */
    static void recordSelf(String[] args) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String[] all = info.arguments().orElse(null);
        if (info.command().isEmpty() || all == null || all.length < args.length) {
            return;
        }
        java.util.List<String> self = new java.util.ArrayList<>(java.util.List.of(info.command().get()));
        self.addAll(java.util.List.of(all).subList(0, all.length - args.length));
        if (!self.get(self.size() - 1).equals(Main.class.getName())) {
            return; // not started as java ... io.krunbox.shell.Main ARGS: do not guess
        }
        System.setProperty("krunbox.self", String.join("\0", self));
    }

    /** krunbox with every command (help, completion). */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * krunbox with only the command {@code first} names, when it names one: building all of them
     * costs a CLI call about 0.3 s. Anything else (help, a typo) gets every command.
     */
    static CommandLine commandLine(String first) {
        CommandLine cli = new CommandLine(new KrunboxCommand());
        Class<?> only = first == null ? null : KrunboxCommand.named(first);
        java.util.List<Class<?>> commands = only != null ? java.util.List.of(only)
                : "--version".equals(first) || "-V".equals(first) ? java.util.List.of() : KrunboxCommand.SUBCOMMANDS;
        for (Class<?> c : commands) {
            cli.addSubcommand(c);
        }
        // Docker's names inside "image"; at the top level "rm" and "ls" belong to boxes
        CommandLine image = cli.getSubcommands().get("image");
        if (image != null) {
            image.addSubcommand("ls", new ImagesCommand());
            image.addSubcommand("rm", new RmiCommand());
        }
        stopAtPositionalWhereACommandLineFollows(cli);
        // the call's own streams and directory, never the JVM's (a server runs many calls)
        Invocation call = Invocation.current();
        cli.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(call.out(), java.nio.charset.StandardCharsets.UTF_8), true));
        cli.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(call.err(), java.nio.charset.StandardCharsets.UTF_8), true));
        cli.registerConverter(java.nio.file.Path.class, s -> s.equals("-") ? java.nio.file.Path.of(s) : call.resolve(s));
        toolErrorsExitWith125(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr()));
        return cli;
    }

    /** Says what failed on {@code err} (the stack trace too with KRUNBOX_DEBUG); returns 125. */
    static int report(Exception e, java.io.PrintWriter err) {
        err.println("krunbox: " + UserMessage.of(e));
        if (Invocation.current().env("KRUNBOX_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return TOOL_ERROR;
    }

    /** {@code run IMAGE CMD --flag}: the flag is the box's; {@code rm BOX -f}: the flag is ours. */
    private static void stopAtPositionalWhereACommandLineFollows(CommandLine cli) {
        cli.setStopAtPositional(cli.getCommand() instanceof TakesCommandLine);
        cli.getSubcommands().values().forEach(Main::stopAtPositionalWhereACommandLineFollows);
    }

    /** Bad flags and failures of krunbox itself exit 125 in every subcommand, as in Docker. */
    private static void toolErrorsExitWith125(CommandLine cli) {
        cli.getCommandSpec().exitCodeOnInvalidInput(TOOL_ERROR);
        cli.getCommandSpec().exitCodeOnExecutionException(TOOL_ERROR);
        cli.getSubcommands().values().forEach(Main::toolErrorsExitWith125);
    }
}
