package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code krunbox shell} on a real pseudo-terminal (tmux): exec -it hands the terminal over and gives it back; Ctrl-C. */
class ShellTtyIT {
    @TempDir Path home;
    @TempDir Path shellHome;
    final String session = "kbshell" + ProcessHandle.current().pid();

    @BeforeAll
    static void needsSandboxAndTmux() {
        HostParts.sandbox();
        io.krunbox.runtime.testing.Require.part("sandbox", HostCommand.tryRun("tmux", "-V").exitCode() == 0,
                "tmux is missing (apt-get install tmux)");
    }

    @AfterEach
    void cleanUp() throws Exception {
        HostCommand.tryRun("tmux", "kill-session", "-t", session);
        Cli cli = new Cli(home);
        for (String id : cli.run("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                cli.run("rm", "-f", id);
            }
        }
        assertThat(cli.leftovers()).isEmpty();
    }

    void type(String keys, boolean enter) {
        if (enter) {
            HostCommand.run("tmux", "send-keys", "-t", session, "-l", keys);
            HostCommand.run("tmux", "send-keys", "-t", session, "Enter");
        } else {
            HostCommand.run("tmux", "send-keys", "-t", session, keys);
        }
    }

    String screen() {
        return HostCommand.run("tmux", "capture-pane", "-p", "-t", session, "-S", "-200");
    }

    String await(Predicate<String> until, String what) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            String s = screen();
            if (until.test(s)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen never showed " + what + ":\n" + screen());
    }

    @Test
    void execItHandsTheTerminalToTheBoxAndCtrlCStopsALongCommand() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "KRUNBOX_HOME=" + home + " KRUNBOX_NETNS=" + HostParts.testNetns() + " KRUNBOX_SHELL_HOME=" + shellHome
                + " " + java + " -Dkrunbox.demo.image=" + HostParts.demoImage().toAbsolutePath() + " -cp "
                + Cli.productClassPath() + " " + Main.class.getName() + " shell";
        HostCommand.run("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "50", cmd);
        await(s -> s.contains("krunbox>"), "the prompt");
        type("run -d --name tty demo sleep 600", true);
        await(s -> s.matches("(?s).*[0-9a-f]{64}.*krunbox>.*"), "the box id and the prompt");
        type("exec -it tty sh", true);
        await(s -> s.contains("/ #"), "the box's shell prompt");
        type("echo in-box-$((6*7)); exit", true);
        await(s -> s.contains("in-box-42") && s.lastIndexOf("krunbox>") > s.indexOf("in-box-42"), "the shell's prompt again");
        type("wait tty", true);
        Thread.sleep(1500);
        type("C-c", false);
        await(s -> s.contains("^C (interrupted)"), "the interrupt");
        type("20 + 22", true);
        await(s -> s.contains("\n42"), "Groovy after Ctrl-C");
        type("exit", true);
    }

    @Test
    void execItFollowsTheWindowSize() throws Exception {
        Cli cli = new Cli(home);
        assertThat(cli.run("run", "-d", "--name", "sized", "--network", "none", "demo", "sleep", "600").exit()).isZero();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "KRUNBOX_HOME=" + home + " KRUNBOX_NETNS=" + HostParts.testNetns() + " " + java
                + " -Dkrunbox.demo.image=" + HostParts.demoImage().toAbsolutePath() + " -cp "
                + Cli.productClassPath() + " " + Main.class.getName() + " exec -it sized sh";
        HostCommand.run("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd);
        await(s -> s.contains("/ #"), "the box's shell prompt");
        type("echo size-$(stty size | tr ' ' x)", true);
        await(s -> s.contains("size-40x120"), "the first size");
        HostCommand.run("tmux", "resize-window", "-t", session, "-x", "100", "-y", "30");
        Thread.sleep(500);
        type("echo size-$(stty size | tr ' ' x)", true);
        await(s -> s.contains("size-30x100"), "the size after the resize");
        type("exit 6", true);
        Thread.sleep(1000);
    }
}
