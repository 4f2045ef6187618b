package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --userns auto}: the box's root is a host uid range of its own, the image's files still its own. */
class UsernsIT extends SandboxCliTest {



    @AfterEach
    void removeTheVolume() throws Exception {
        cli.run("rm", "-f", "u1");
        cli.run("volume", "rm", "-f", "udata");
    }

    static long hostUid(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    @Test
    void theBoxsRootIsAnUnprivilegedHostRangeAndTheImageStaysItsOwn() throws Exception {
        Cli.Result r = cli.run("run", "--name", "u1", "--isolation", "sandbox", "--userns", "auto", "-v", "udata:/data",
                "demo", "sh", "-c", "cat /proc/self/uid_map; id -u; stat -c '%u:%g' /etc/passwd /; "
                        + "echo mine > /made; chown 1000:1000 /made; touch /data/v; stat -c '%u' /data/v");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        String[] map = lines[0].trim().split("\\s+");
        long base = Long.parseLong(map[1]);
        assertThat(map[0]).isEqualTo("0");
        assertThat(base).isGreaterThanOrEqualTo(1L << 30);
        assertThat(map[2]).isEqualTo("65536");
        assertThat(lines[1]).isEqualTo("0");
        assertThat(lines[2]).isEqualTo("0:0");
        assertThat(lines[3]).isEqualTo("0:0");
        assertThat(lines[4]).isEqualTo("0");
        // on the host, what the box wrote belongs to its range, not to root
        String id = cli.run("inspect", "u1", "--format", "{{.Id}}").out().trim();
        Path upper = home.resolve("boxes").resolve(id).resolve("upper");
        assertThat(hostUid(upper.resolve("made"))).isEqualTo(base + 1000);
        assertThat(hostUid(home.resolve("volumes/udata/_data/v"))).isEqualTo(base);
        assertThat(cli.run("inspect", "u1", "--format", "{{.HostConfig.UsernsMode}} {{.HostConfig.UsernsRange}}").out().trim())
                .isEqualTo("auto " + base + "-" + (base + 65535));
        // started again: the same range, the box's files as it left them
        Cli.Result again = cli.run("start", "-a", "u1");
        assertThat(again.out()).startsWith("         0 " + base + "      65536\n");
    }

    @Test
    void twoBoxesNeverShareARange() throws Exception {
        assertThat(cli.run("run", "-d", "--name", "u1", "--isolation", "sandbox", "--userns", "auto", "demo", "sleep", "60")
                .exit()).isZero();
        assertThat(cli.run("run", "-d", "--name", "u2", "--isolation", "sandbox", "--userns", "auto", "demo", "sleep", "60")
                .exit()).isZero();
        String one = cli.run("exec", "u1", "cat", "/proc/self/uid_map").out().trim();
        String two = cli.run("exec", "u2", "cat", "/proc/self/uid_map").out().trim();
        assertThat(one).isNotEqualTo(two);
        // exec enters the box's own namespace: the same map as its workload
        assertThat(cli.run("exec", "u1", "sh", "-c", "cat /proc/1/uid_map 2>/dev/null; id -u").out()).endsWith("0\n");
    }

    @Test
    void aVmBoxRefusesUsernsAutoAndDevicesWithWhatToDo() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "vm", "--userns", "auto", "demo", "true");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("--userns auto is for the sandbox").doesNotContain("Exception");
        Cli.Result d = cli.run("run", "--rm", "--isolation", "vm", "--device", "/dev/null", "demo", "true");
        assertThat(d.exit()).isEqualTo(125);
        assertThat(d.err()).contains("--device is for the sandbox").doesNotContain("Exception");
    }
}
