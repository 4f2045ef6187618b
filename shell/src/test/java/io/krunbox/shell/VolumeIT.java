package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes, bind mounts and tmpfs through the real CLI (sandbox). */
class VolumeIT extends SandboxCliTest {
    @TempDir Path host;

    @Test
    void dataWrittenInOneBoxIsReadInTheNextAndANamedVolumeOutlivesItsBoxes() throws Exception {
        ok("run", "--name", "writer", "--network", "none", "-v", "shared:/data", "demo", "sh", "-c", "echo kept > /data/f");
        ok("rm", "-v", "writer");
        assertThat(ok("run", "--rm", "--network", "none", "-v", "shared:/data", "demo", "cat", "/data/f").out())
                .isEqualTo("kept\n");
        assertThat(ok("volume", "ls").out()).contains("shared");
    }

    @Test
    void readOnlyMountsRefuseWritesInsideTheBox() throws Exception {
        Files.writeString(host.resolve("config.txt"), "from-host\n");
        Cli.Result r = cli.run("run", "--rm", "--network", "none", "-v", host + ":/etc/app:ro", "-v", "ro-vol:/v:ro",
                "demo", "sh", "-c", "cat /etc/app/config.txt; echo x > /etc/app/new 2>&1; echo x > /v/new; touch /etc/app/config.txt");
        assertThat(r.out()).contains("from-host");
        assertThat(r.err()).contains("Read-only file system");
        assertThat(r.exit()).isNotZero();
        assertThat(host.resolve("new")).doesNotExist();
        // a single file can be mounted too
        assertThat(ok("run", "--rm", "--network", "none", "--mount", "type=bind,source=" + host.resolve("config.txt")
                + ",target=/cfg,readonly", "demo", "cat", "/cfg").out()).isEqualTo("from-host\n");
        Cli.Result root = cli.run("run", "--rm", "--network", "none", "--read-only", "demo", "touch", "/x");
        assertThat(root.exit()).isEqualTo(1);
        assertThat(root.err()).contains("Read-only file system");
        // as Podman's --read-only-tmpfs: /tmp stays writable, on a tmpfs
        assertThat(ok("run", "--rm", "--network", "none", "--read-only", "demo", "sh", "-c",
                "echo t > /tmp/t && cat /tmp/t && grep ' /tmp ' /proc/mounts").out()).startsWith("t\ntmpfs /tmp tmpfs");
    }

    @Test
    void aVolumeInUseIsNotRemoved() throws Exception {
        ok("volume", "create", "-l", "team=a", "busy");
        ok("create", "--name", "user", "--network", "none", "-v", "busy:/data", "demo", "true");
        Cli.Result r = cli.run("volume", "rm", "busy");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("in use by box user");
        ok("rm", "user");
        ok("run", "-d", "--name", "runner", "--network", "none", "-v", "busy:/data", "demo", "sleep", "60");
        Cli.Result running = cli.run("volume", "rm", "-f", "busy");
        assertThat(running.exit()).isEqualTo(1);
        assertThat(running.err()).contains("in use by running box runner: stop it first");
        ok("rm", "-f", "runner");
        ok("volume", "rm", "busy");
        assertThat(ok("volume", "ls", "-q").out()).doesNotContain("busy");
    }

    @Test
    void tmpfsIsEmptyOnEachStart() throws Exception {
        ok("create", "--name", "t", "--network", "none", "--tmpfs", "/scratch:size=8m,mode=1777", "demo", "sh", "-c",
                "ls /scratch | wc -l; touch /scratch/leftover; df -k /scratch | tail -1");
        ok("start", "-a", "t");
        Cli.Result second = ok("start", "-a", "t");
        assertThat(second.out()).startsWith("0\n").contains("8192");
    }

    @Test
    void aNamedVolumeStartsWithTheImagesContentAtItsMountPoint() throws Exception {
        assertThat(ok("run", "--rm", "--network", "none", "-v", "etc-copy:/etc", "demo", "sh", "-c",
                "grep -c root /etc/passwd; stat -c '%a %u' /etc/passwd").out()).contains("1\n644 0");
        assertThat(home.resolve("volumes/etc-copy/_data/passwd")).exists();
    }

    @Test
    void aLinkInTheImageAtTheMountPointIsResolvedInsideTheBoxNotOnTheHost() throws Exception {
        // an image whose /seed is a link to a host directory, with the volume one level below it:
        // seeding the volume must not follow the link on the host and copy the host's files
        Path secrets = Files.createDirectories(host.resolve("host-secrets/inner"));
        Files.writeString(secrets.resolve("key"), "host only");
        Path rootfs = Files.createDirectories(host.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("seed"), secrets.getParent());
        Path tar = host.resolve("linked.tar");
        assertThat(new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".").start().waitFor()).isZero();
        assertThat(ok("import", tar.toString(), "linked:1").exit()).isZero();
        Cli.Result created = cli.run("create", "--name", "linked-box", "-v", "seeded:/seed/inner", "linked:1", "true");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(home.resolve("volumes/seeded/_data/key")).doesNotExist();
        assertThat(secrets.resolve("key")).hasContent("host only");
        cli.run("rm", "-f", "linked-box");
        cli.run("volume", "rm", "seeded");
    }

    @Test
    void badMountSpecsAreRefusedWithTheInput() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "-v", "data:relative", "demo", "true");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("relative").contains("absolute");
        r = cli.run("run", "--rm", "--tmpfs", "/t:size=lots", "demo", "true");
        assertThat(r.err()).contains("size=lots");
        r = cli.run("run", "--rm", "--mount", "type=nfs,target=/x", "demo", "true");
        assertThat(r.err()).contains("nfs");
    }
}
