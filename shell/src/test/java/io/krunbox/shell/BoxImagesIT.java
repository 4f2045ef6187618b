package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Boxes into images: diff, export, commit and snapshots, on a running and on a stopped box, with
 * an overlay root and with a copied one (KRUNBOX_ROOTFS=copy), all read through the same
 * resolution of the box's root; and a link the box plants never leads the host out of it.
 */
class BoxImagesIT extends SandboxCliTest {
    @TempDir Path out;

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void diffExportCommitAndSnapshotSeeTheBoxsChangesRunningAndStopped(String rootfs) throws Exception {
        Cli k = rootfs.equals("copy") ? cli.with("KRUNBOX_ROOTFS", "copy") : cli;
        Cli.Result run = k.run("run", "-d", "--name", "changed", "--network", "none", "demo", "sh", "-c",
                "echo new > /added; rm /etc/group; ln -s /etc/shadow /planted; ln -s / /rootlink; mkfifo /pipe; sleep 600");
        assertThat(run.exit()).as(run.err()).isZero();
        for (int i = 0; i < 50 && !k.run("diff", "changed").out().contains("/rootlink"); i++) {
            Thread.sleep(100);
        }
        for (boolean running : List.of(true, false)) {
            if (!running) {
                assertThat(k.run("stop", "-t", "1", "changed").exit()).isZero();
            }
            Cli.Result d = k.run("diff", "changed");
            assertThat(d.exit()).as("diff, running=" + running + ": " + d.err()).isZero();
            String diff = d.out();
            // a fifo is listed, never opened (reading it would hang the host)
            assertThat(diff.lines()).contains("A /added", "D /etc/group", "C /etc", "A /planted", "A /rootlink", "A /pipe");
            assertThat(diff).doesNotContain(".krunbox", "/etc/hosts");
            Path tar = out.resolve("export-" + running + ".tar");
            assertThat(k.run("export", "-o", tar.toString(), "changed").exit()).isZero();
            String listing = io.krunbox.runtime.base.HostCommand.run("tar", "tvf", tar.toString());
            assertThat(listing).contains(" added", "planted -> /etc/shadow").doesNotContain(".krunbox", "etc/group\n");
            String image = "committed-" + rootfs + ":" + running;
            Cli.Result commit = k.run("commit", "-c", "CMD [\"cat\", \"/added\"]", "-m", "from a box", "changed", image);
            assertThat(commit.exit()).as(commit.err()).isZero();
            assertThat(k.run("run", "--rm", "--network", "none", image).out()).isEqualTo("new\n");
            assertThat(k.run("run", "--rm", "--network", "none", image, "sh", "-c",
                    "ls /etc/group 2>&1; readlink /planted").out()).contains("No such file", "/etc/shadow");
            assertThat(k.run("history", image).out()).contains("krunbox commit changed: from a box", "from a box");
            String snap = "snap-" + rootfs + "-" + running;
            assertThat(k.run("snapshot", "create", "changed", snap).exit()).isZero();
            String restored = k.run("snapshot", "restore", "--name", "back-" + running, snap).out().strip();
            assertThat(k.run("start", restored).exit()).isZero();
            assertThat(k.run("exec", restored, "sh", "-c", "cat /added; ls /etc/group 2>&1").out())
                    .contains("new", "No such file");
            assertThat(k.run("rm", "-f", restored).exit()).isZero();
            assertThat(k.run("snapshot", "rm", snap).exit()).isZero();
        }
        // the host's /etc/shadow was never read: the link went into the tar as a link
        assertThat(Files.readString(Path.of("/etc/shadow")).length()).isPositive();
    }
}
