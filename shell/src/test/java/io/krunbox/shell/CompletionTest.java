package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion scripts come from the command tree itself, and bash and zsh accept them. */
class CompletionTest {
    static String script(String shell) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.commandLine("completion").execute("completion", shell)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bashAndZshScriptsNameEveryCommandAndParse(@TempDir Path dir) throws Exception {
        for (String shell : new String[] {"bash", "zsh"}) {
            String s = script(shell);
            assertThat(s).contains("compose", "kube", "generate", "--log-opt", "network", "completion");
            Path f = Files.writeString(dir.resolve("krunbox." + shell), s);
            Process check = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
            assertThat(check.waitFor()).as(new String(check.getInputStream().readAllBytes())).isZero();
        }
        assertThat(script("zsh")).startsWith("#compdef krunbox\n");
        assertThat(Main.commandLine("completion").execute("completion", "fish")).isEqualTo(Main.TOOL_ERROR);
    }
}
