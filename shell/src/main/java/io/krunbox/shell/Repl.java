package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import io.krunbox.dsl.BoxesApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive shell: every krunbox command (the same picocli definitions, run in this
 * warm JVM), Groovy with the DSL and the runtime API bound, and a few {@code :} commands.
 * History persists in {@code ~/.krunbox/history}; unfinished Groovy blocks continue on
 * the next line; Ctrl-C cancels the line, Ctrl-D leaves.
 */
public final class Repl {
    static final String HELP = """
            Commands: any krunbox command (ps, run -d demo, exec tmp ls, compose up -d, ...)
            Groovy:   anything else, with boxes (boxes.run('demo') { ... }), topology('x') { ... }
            :help     this text          :vars    the variables defined
            :load F   run a Groovy file  :save F  this session's Groovy as a script
            :reset    forget variables   exit     leave (or Ctrl-D)
            :set vi / :set emacs   the editing mode
            """;

    private final Terminal terminal;
    private final Path history;
    private final BoxesApi boxes = new BoxesApi();
    private final List<String> session = new ArrayList<>();
    private final List<String> functions = new ArrayList<>();
    private GroovyShell groovy;
    private LineReader reader;

    public Repl(Terminal terminal, Path history) {
        this.terminal = terminal;
        this.history = history;
        reset();
    }

    private void reset() {
        Binding b = new Binding();
        b.setVariable("boxes", boxes);
        org.codehaus.groovy.control.CompilerConfiguration config = new org.codehaus.groovy.control.CompilerConfiguration();
        org.codehaus.groovy.control.customizers.ImportCustomizer imports = new org.codehaus.groovy.control.customizers.ImportCustomizer();
        imports.addStarImports("io.krunbox.dsl");
        config.addCompilationCustomizers(imports);
        groovy = new GroovyShell(Repl.class.getClassLoader(), b, config);
        session.clear();
        functions.clear();
    }

    public int run() throws IOException {
        Files.createDirectories(history.getParent());
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("krunbox")
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P ... ")
                .parser(new ReplParser())
                .completer(new ReplCompleter(name -> groovy.getContext().hasVariable(name)
                        ? groovy.getContext().getVariable(name) : null))
                .highlighter(new ReplHighlighter())
                .build();
        this.reader = reader;
        PrintWriter out = terminal.writer();
        TerminalExec.shared = terminal;
        try {
            for (;;) {
                String line;
                try {
                    line = reader.readLine("krunbox> ");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C: this line is dropped, the shell stays
                } catch (EndOfFileException e) {
                    break;
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.equals("exit") || line.equals("quit") || line.equals(":quit")) {
                    break;
                }
                interruptible(line, out);
                out.flush();
            }
        } finally {
            TerminalExec.shared = null;
            reader.getHistory().save();
            boxes.close();
        }
        return 0;
    }

    /**
     * Runs one line on a worker thread; Ctrl-C while it runs interrupts that command (its waits
     * and follows end) and brings the prompt back, instead of ending the shell.
     */
    private void interruptible(String line, PrintWriter out) {
        Thread worker = new Thread(() -> evaluate(line, out), "krunbox-shell-command");
        org.jline.terminal.Terminal.SignalHandler previous = terminal.handle(org.jline.terminal.Terminal.Signal.INT, s -> {
            worker.interrupt();
            out.println("^C (interrupted)");
            out.flush();
        });
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
        } finally {
            terminal.handle(org.jline.terminal.Terminal.Signal.INT, previous);
        }
    }

    void evaluate(String line, PrintWriter out) {
        if (line.startsWith(":")) {
            meta(line, out);
            return;
        }
        List<String> words = ReplParser.words(line);
        if (!words.isEmpty() && ReplCompleter.COMMANDS.contains(words.get(0))) {
            Invocation.current().out().flush();
            int code = Main.commandLine().execute(ComposeShortcut.rewrite(words.toArray(String[]::new)));
            Invocation.current().out().flush();
            if (code != 0) {
                out.println("(exit " + code + ")");
            }
            return;
        }
        try {
            // a session is one long script: `def x = ...` binds x for later lines, functions stay defined
            String code = line;
            java.util.regex.Matcher var = java.util.regex.Pattern.compile("^def\\s+([A-Za-z_]\\w*)\\s*=").matcher(code);
            if (var.find()) {
                code = var.group(1) + " =" + code.substring(var.end());
            }
            boolean function = code.matches("(?s)^def\\s+[A-Za-z_]\\w*\\s*\\(.*");
            Object result = groovy.evaluate(String.join("\n", functions) + "\n" + code);
            if (function) {
                functions.add(code);
            }
            session.add(line);
            if (result != null) {
                out.println(result);
            }
        } catch (Exception e) {
            out.println("error: " + UserMessage.of(e));
        }
    }

    private void meta(String line, PrintWriter out) {
        String[] parts = line.split("\\s+", 2);
        try {
            switch (parts[0]) {
                case ":help" -> out.print(HELP);
                case ":vars" -> groovy.getContext().getVariables().forEach((k, v) -> out.println(k + " = " + v));
                case ":set" -> {
                    String mode = parts.length > 1 ? parts[1].strip() : "";
                    if (!mode.equals("vi") && !mode.equals("emacs")) {
                        out.println(":set vi or :set emacs");
                    } else if (reader != null) {
                        reader.setKeyMap(mode.equals("vi") ? LineReader.VIINS : LineReader.EMACS);
                        out.println(mode + " editing");
                    }
                }
                case ":reset" -> {
                    reset();
                    out.println("variables forgotten");
                }
                case ":load" -> {
                    String text = Files.readString(Path.of(parts[1]));
                    Object r = groovy.evaluate(text);
                    session.add(text);
                    if (r != null) {
                        out.println(r);
                    }
                }
                case ":save" -> {
                    Files.writeString(Path.of(parts[1]), String.join("\n", session) + "\n");
                    out.println("saved " + session.size() + " entries to " + parts[1]);
                }
                default -> out.println("unknown command " + parts[0] + " (:help lists them)");
            }
        } catch (Exception e) {
            out.println("error: " + UserMessage.of(e));
        }
    }
}
