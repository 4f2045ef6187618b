package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root workload replaces the files krunbox reads and writes with links to host files:
 * its control files, /etc/hosts, /etc/resolv.conf and a cp target. After the box ends, starts
 * again, gets a neighbour on its network and is copied to and from, the host files are as they
 * were and what the box reports never comes from them.
 */
class PlantedLinksIT extends SandboxCliTest {
    @TempDir Path host;
    Map<String, Path> bait;


    @BeforeEach
    void bait() throws Exception {
        bait = new java.util.LinkedHashMap<>();
        for (String n : new String[] {"exit", "config", "hosts", "resolv", "cp-in", "cp-out"}) {
            Path f = host.resolve(n);
            // what an exit record would say, so reading it would show
            Files.writeString(f, "{\"code\":42,\"signal\":0,\"reason\":\"host file " + n + "\"}\n");
            bait.put(n, f);
        }
    }

    void assertBaitUntouched() throws Exception {
        for (Map.Entry<String, Path> e : bait.entrySet()) {
            assertThat(Files.isSymbolicLink(e.getValue())).isFalse();
            assertThat(Files.readString(e.getValue())).as(e.getKey())
                    .isEqualTo("{\"code\":42,\"signal\":0,\"reason\":\"host file " + e.getKey() + "\"}\n");
        }
    }

    /** Links to the host's files; the same paths inside the box hold the box's own (so a link resolved in the box finds them). */
    String plant() {
        return "mkdir -p " + host + "; echo \"the box's own\" > " + bait.get("cp-out") + "; "
                + "ln -sf " + bait.get("hosts") + " /etc/hosts; ln -sf " + bait.get("resolv") + " /etc/resolv.conf; "
                + "ln -sf " + bait.get("cp-in") + " /tmp/cp-target; ln -sf " + bait.get("cp-out") + " /tmp/leak; ";
    }

    @Test
    void controlFilesAreReadOnlyToTheBoxAndAPlantedExitRecordIsNotFollowed() throws Exception {
        // the first run plants and ends; started again, the box stays up
        Cli.Result r = cli.run("run", "--name", "planter", "--isolation", "sandbox", "demo", "sh", "-c",
                "if [ -e /again ]; then exec sleep 60; fi; touch /again; rm -f /.krunbox/config.json; ln -sf " + bait.get("config") + " /.krunbox/config.json;"
                        + " echo x > /.krunbox/init; mkdir /.krunbox/extra; "
                        + plant() + "exit 3");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("can't remove '/.krunbox/config.json': Read-only file system")
                .contains("can't create /.krunbox/init: Read-only file system");
        // started again, the box plants its exit record as a link, then is killed from outside
        Cli.Result start = cli.run("start", "planter");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(cli.run("exec", "planter", "sh", "-c", "rm -f /.krunbox/run/exit; ln -s " + bait.get("exit")
                + " /.krunbox/run/exit; " + plant()).exit()).isZero();
        // a neighbour on the box's network rewrites the box's hosts file: the link is replaced, not followed
        assertThat(cli.run("run", "-d", "--name", "neighbour", "--isolation", "sandbox", "demo", "sleep", "60").exit())
                .isZero();
        Cli.Result hosts = cli.run("exec", "planter", "sh", "-c", "test -L /etc/hosts && echo link; grep -c neighbour /etc/hosts");
        assertThat(hosts.out()).isEqualTo("1\n");
        assertThat(cli.run("kill", "planter").exit()).isZero();
        Cli.Result inspect = cli.run("inspect", "planter", "--format", "{{.State.ExitCode}}");
        assertThat(inspect.out().trim()).isNotEqualTo("42");
        assertBaitUntouched();
    }

    @Test
    void cpBothWaysResolvesThePlantedLinksInsideTheBox() throws Exception {
        assertThat(cli.run("run", "-d", "--name", "planter", "--isolation", "sandbox", "demo", "sh", "-c",
                plant() + "sleep 60").exit()).isZero();
        Path local = host.resolve("local.txt");
        Files.writeString(local, "from the host\n");
        assertThat(cli.run("exec", "planter", "test", "-L", "/tmp/cp-target").exit()).isZero();
        assertThat(cli.run("cp", local.toString(), "planter:/tmp/cp-target").exit()).isZero();
        // the link itself is replaced by the file, as a link at a cp target is
        Cli.Result inBox = cli.run("exec", "planter", "sh", "-c", "test -L /tmp/cp-target || cat /tmp/cp-target");
        assertThat(inBox.out()).isEqualTo("from the host\n");
        Cli.Result out = cli.run("cp", "planter:/tmp/leak", "-");
        assertThat(out.exit()).isZero();
        assertThat(out.out()).contains("the box's own").doesNotContain("host file cp-out");
        assertBaitUntouched();
    }

    @Test
    void aLinkAtAMountPointCannotMakeTheLauncherCreateAnythingOnTheHost() throws Exception {
        // bubblewrap runs as root with the host's / at /oldroot: an image whose /data leads there must not
        // make it create the mount point on the host
        Path marker = host.resolve("made-by-the-launcher");
        Path rootfs = Files.createDirectories(host.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
        Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
        Files.createSymbolicLink(rootfs.getParent().resolve("data"), Path.of("/oldroot" + marker));
        Path tar = host.resolve("linked.tar");
        assertThat(new ProcessBuilder("tar", "-C", rootfs.getParent().toString(), "-cf", tar.toString(), ".").start()
                .waitFor()).isZero();
        ok("import", tar.toString(), "linked-mount:1");
        Path shared = Files.createDirectories(host.resolve("shared"));
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "-v", shared + ":/data", "linked-mount:1",
                "/bin/sh", "-c", "echo inside > /data/f");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(marker).doesNotExist();
        assertThat(shared.resolve("f")).hasContent("inside\n");
    }
}
