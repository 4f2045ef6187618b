package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code krunbox completion bash|zsh}: the shell completion script, generated from the commands themselves. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {
        "Print the completion script for bash or zsh, made from krunbox's own commands and flags.",
        "  bash: krunbox completion bash > /usr/share/bash-completion/completions/krunbox",
        "  zsh:  krunbox completion zsh > \"${fpath[1]}/_krunbox\"   (setup installs both)"})
public final class CompletionCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("krunbox", Main.commandLine());
        switch (shell) {
            case "bash" -> Invocation.current().out().print(script);
            // zsh runs the bash script through bashcompinit, as picocli's scripts are meant to be used
            case "zsh" -> Invocation.current().out().print("#compdef krunbox\nautoload -U +X bashcompinit && bashcompinit\n"
                    + "autoload -U +X compinit && compinit\n" + script);
            default -> throw new IllegalArgumentException("completion for \"" + shell + "\" is not made: give bash or zsh");
        }
        return 0;
    }
}
