package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code run -i} and {@code run -it}: the box's command on the caller's pipes or terminal, its code returned. */
class RunAttachedIT extends SandboxCliTest {
    Process krunbox(List<String> prefix, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkrunbox.demo.image=" + HostParts.demoImage().toAbsolutePath(), "-cp", Cli.productClassPath(),
                Main.class.getName());
        if (prefix.isEmpty()) {
            cmd.addAll(java);
            cmd.addAll(List.of(args));
        } else {
            // script(1) takes one command line
            cmd.add(String.join(" ", java) + " " + String.join(" ", args));
            cmd.add("/dev/null");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("KRUNBOX_HOME", home.toString());
        pb.environment().put("KRUNBOX_NETNS", HostParts.testNetns());
        return pb.start();
    }

    @Test
    void runIPassesStdinAndReturnsTheCommandsCode() throws Exception {
        Process p = krunbox(List.of(), "run", "-i", "--rm", "--network", "none", "demo", "sh", "-c",
                "read x; echo got:$x; exit 3");
        p.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("got:hello");
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(cli.run("ps", "-aq").out()).as("--rm removed it").isEmpty();
    }

    @Test
    void runItGivesTheCommandATerminal() throws Exception {
        Process p = krunbox(List.of("script", "-qefc"), "run", "-it", "--name", "tty-run", "--network", "none", "demo", "sh",
                "-c", "'tty; exit 5'");
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("/dev/pts/");
        assertThat(p.exitValue()).as(out).isEqualTo(5);
        assertThat(cli.run("ps", "-a").out()).contains("tty-run", "Exited (5)");
    }
}
