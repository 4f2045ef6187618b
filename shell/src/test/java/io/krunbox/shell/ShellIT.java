package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell, headless: a dumb terminal over piped streams, as a user's session would be typed. */
class ShellIT {
    @TempDir Path home;
    @TempDir Path shellHome;

    @BeforeAll
    static void needsSandbox() {
        HostParts.sandbox();
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        Cli cli = new Cli(home);
        for (String id : cli.run("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                cli.run("rm", "-f", id);
            }
        }
        assertThat(cli.leftovers()).isEmpty();
    }

    /** Types {@code input} into a fresh {@code krunbox shell}; returns everything it printed. */
    String session(String input) throws Exception {
        return session("shell", input);
    }

    String session(String command, String input) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkrunbox.demo.image=" + HostParts.demoImage().toAbsolutePath(), "-cp", Cli.productClassPath(),
                Main.class.getName(), command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("KRUNBOX_HOME", home.toString());
        pb.environment().put("KRUNBOX_NETNS", HostParts.testNetns());
        pb.environment().put("KRUNBOX_SHELL_HOME", shellHome.toString());
        Process p = pb.start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void commandsGroovyMultiLineBlocksAndTheApiShareOneWarmSession() throws Exception {
        String out = session("""
                1 + 2
                def twice = { x ->
                  x * 2
                }
                twice(21)
                run -d --name warm demo sh -c 'echo ready; sleep 600'
                ps --format json
                def b = boxes.get('warm')
                b.exec('sh', '-c', 'echo from-api').stdout.trim()
                :vars
                rm -f warm
                :nonsense
                :set vi
                exit
                """);
        assertThat(out).contains("krunbox> 3\n", "42", "\"warm\"", "from-api", "twice = ", "unknown command :nonsense",
                "vi editing");
        assertThat(new Cli(home).run("ps", "-aq").out()).isEmpty();
    }

    @Test
    void historySurvivesARestartAndSaveWritesTheSessionAsAScript() throws Exception {
        Path saved = shellHome.resolve("session.groovy");
        session("x = 40\nx + 2\n:save " + saved + "\nexit\n");
        assertThat(Files.readString(saved)).contains("x = 40", "x + 2");
        String second = session(":load " + saved + "\nexit\n");
        assertThat(second).contains("42");
        assertThat(Files.readString(shellHome.resolve("history"))).contains("x = 40", ":save ", ":load ");
    }

    @Test
    void jshellStartsWithTheApiImported() throws Exception {
        String out = session("jshell", "var s = BoxSpec.builder(\"demo\").command(\"true\").build();\n"
                + "System.out.println(\"image=\" + s.image());\n"
                + "try (var k = Krunbox.open()) { System.out.println(\"home=\" + k.home().root() + \" boxes=\" + k.boxes().list(true).size()); }\n"
                + "/exit\n");
        assertThat(out).contains("image=demo", "home=" + home.toRealPath() + " boxes=0");
    }
}
