package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cp} between host and box (both ways, tar streams, a stopped box) and {@code top}. */
class CpTopIT {
    @TempDir static Path home;
    @TempDir Path host;
    static Cli cli;

    @BeforeAll
    static void box() throws Exception {
        HostParts.sandbox();
        cli = new Cli(home);
        assertThat(cli.run("run", "-d", "--isolation", "sandbox", "--name", "files", "demo", "sh", "-c",
                "mkdir -p /data; echo inside > /data/f.txt; ln -s / /data/escape; sleep 600 & sleep 700").exit()).isZero();
        for (int i = 0; i < 50 && cli.run("exec", "files", "test", "-L", "/data/escape").exit() != 0; i++) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void remove() throws Exception {
        if (cli != null) {
            cli.run("rm", "-f", "files");
            assertThat(cli.leftovers()).isEmpty();
        }
    }

    @Test
    void hostToBoxAndBack() throws Exception {
        Files.createDirectories(host.resolve("src/sub"));
        Files.writeString(host.resolve("src/sub/a.txt"), "hello\n");
        assertThat(cli.run("cp", host.resolve("src").toString(), "files:/data").exit()).isZero();
        assertThat(cli.run("exec", "files", "cat", "/data/src/sub/a.txt").out()).isEqualTo("hello\n");
        assertThat(cli.run("cp", "files:/data/f.txt", host.toString()).exit()).isZero();
        assertThat(host.resolve("f.txt")).hasContent("inside");
    }

    @Test
    void aFileCopiedIntoTmpIsSeenInTheBox() throws Exception {
        // as in Docker, /tmp belongs to the box's root file system (no tmpfs hiding what cp wrote)
        Files.writeString(host.resolve("t.txt"), "in tmp\n");
        assertThat(cli.run("cp", host.resolve("t.txt").toString(), "files:/tmp/t.txt").exit()).isZero();
        assertThat(cli.run("exec", "files", "cat", "/tmp/t.txt").out()).isEqualTo("in tmp\n");
        assertThat(cli.run("exec", "files", "sh", "-c", "echo made > /tmp/m.txt").exit()).isZero();
        assertThat(cli.run("cp", "files:/tmp/m.txt", host.resolve("m.txt").toString()).exit()).isZero();
        assertThat(host.resolve("m.txt")).hasContent("made");
    }

    @Test
    void theBoxHasAnEtcHostnameAsInDocker() throws Exception {
        assertThat(cli.run("exec", "files", "cat", "/etc/hostname").out()).isEqualTo("files\n");
        assertThat(cli.run("cp", "files:/etc/hostname", host.resolve("h").toString()).exit()).isZero();
        assertThat(host.resolve("h")).hasContent("files");
    }

    @Test
    void aSymlinkInTheBoxResolvesInsideTheBox() throws Exception {
        // /data/escape -> / : followed inside the box, so this is the box's passwd, not the host's
        assertThat(cli.run("cp", "files:/data/escape/etc/passwd", host.resolve("p").toString()).exit()).isZero();
        assertThat(Files.readString(host.resolve("p"))).contains("nobody:x:65534:65534:nobody:/home:/bin/false");
        Files.writeString(host.resolve("evil.txt"), "x");
        assertThat(cli.run("cp", host.resolve("evil.txt").toString(), "files:/data/escape/root/").exit()).isZero();
        assertThat(Path.of("/root/evil.txt")).doesNotExist();
        assertThat(cli.run("exec", "files", "cat", "/root/evil.txt").out()).isEqualTo("x");
    }

    @Test
    void tarStreamsBothWays() throws Exception {
        Path tar = host.resolve("data.tar");
        Process p = cli.start("cp", "files:/data", "-");
        Files.write(tar, p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(HostCommand.run("tar", "tf", tar.toString())).contains("data/f.txt");
        Process in = cli.start("cp", "-", "files:/root");
        in.getOutputStream().write(Files.readAllBytes(tar));
        in.getOutputStream().close();
        assertThat(in.waitFor()).isZero();
        assertThat(cli.run("exec", "files", "cat", "/root/data/f.txt").out()).isEqualTo("inside\n");
    }

    @Test
    void topListsTheBoxsProcesses() throws Exception {
        Cli.Result top = cli.run("top", "files");
        assertThat(top.out()).startsWith("USER").contains("/.krunbox/init", "sleep 700", "sleep 600");
    }
}
