package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void aCommandLineBuildsOnlyTheCommandItNamesAndHelpBuildsThemAll() {
        assertThat(Main.commandLine("run").getSubcommands()).containsOnlyKeys("run");
        assertThat(Main.commandLine("image").getSubcommands().get("image").getSubcommands()).containsKeys("ls", "rm", "inspect");
        assertThat(Main.commandLine("--help").getSubcommands()).containsKeys("run", "ps", "compose", "image", "doctor")
                .hasSize(KrunboxCommand.SUBCOMMANDS.size());
        assertThat(Main.commandLine("rnu").getSubcommands()).hasSize(KrunboxCommand.SUBCOMMANDS.size());
        // bad flags still exit 125 in the single-command tree
        assertThat(Main.commandLine("ps").execute("ps", "--no-such-flag")).isEqualTo(Main.TOOL_ERROR);
    }

    @Test
    void flagsAfterABoxNameAreKrunboxsButAfterAnImageOrBoxCommandTheyAreTheBoxs() {
        // as in Docker: `rm BOX -f`, `inspect BOX --format X`; `run IMAGE CMD -x`, `exec BOX CMD -x`
        RmCommand rm = parsed("rm", "rm", "one", "-f", "two");
        assertThat(rm.force).isTrue();
        assertThat(rm.targets).containsExactly("one", "two");
        InspectCommand inspect = parsed("inspect", "inspect", "one", "--format", "{{.Name}}");
        assertThat(inspect.targets).containsExactly("one");
        assertThat(inspect.format).isEqualTo("{{.Name}}");
        RunCommand run = parsed("run", "run", "demo", "ls", "-l", "--rm");
        assertThat(run.command).containsExactly("ls", "-l", "--rm");
        assertThat(run.image).isEqualTo("demo");
        ExecCommand exec = parsed("exec", "exec", "box", "sh", "-c", "echo", "-t");
        assertThat(exec.tty).isFalse();
        assertThat(exec.command).containsExactly("sh", "-c", "echo", "-t");
    }

    @SuppressWarnings("unchecked")
    private static <T> T parsed(String first, String... args) {
        var parsed = Main.commandLine(first).parseArgs(args);
        return (T) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void aCliCallDoesNotStartTheGroovyRuntime() throws IOException, InterruptedException {
        // picocli's factory loads groovy.lang.Closure unless told not to, and Closure's static
        // initializer starts Groovy's metaclass registry: ~60 ms of every call
        for (String[] call : new String[][] {{"ps", "--help"}, {"--version"}}) {
            String loaded = classesLoadedBy(call);
            assertThat(loaded).contains("io.krunbox.shell.Main ").doesNotContain("groovy.lang.GroovySystem ");
        }
    }

    private static String classesLoadedBy(String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off", "-verbose:class",
                "-cp", Cli.productClassPath(), Main.class.getName()));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
