package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;

/** {@code krunbox shell}: the interactive shell (also {@code krunbox} alone on a terminal). */
@Command(name = "shell", mixinStandardHelpOptions = true, description = {"Start the interactive krunbox shell.",
        "Every krunbox command, plus Groovy with the DSL and the runtime API (boxes, topology); :help inside."})
public final class ShellCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().name("krunbox").system(true).build()) {
            String home = Invocation.current().env().getOrDefault("KRUNBOX_SHELL_HOME", System.getProperty("user.home") + "/.krunbox");
            return new Repl(terminal, Path.of(home, "history")).run();
        }
    }
}
