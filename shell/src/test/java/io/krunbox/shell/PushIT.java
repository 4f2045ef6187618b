package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.oci.testing.LocalRegistry;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.Require;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code krunbox push} to a real registry (Debian's docker-registry); what was pushed read back by skopeo and run by Podman. */
class PushIT extends SandboxCliTest {
    @TempDir Path dir;

    @Test
    void aBuiltImageIsPushedReadBackBySkopeoRunByPodmanAndItsBlobsAreNotSentTwice() throws Exception {
        Require.part("sandbox", LocalRegistry.available(), "docker-registry and skopeo are missing");
        try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
            Files.writeString(dir.resolve("Dockerfile"), """
                    FROM demo
                    RUN head -c 9000000 /dev/urandom > /big.bin && echo pushed > /msg
                    CMD ["cat", "/msg"]
                    """);
            ok("build", "-t", "pushed:1", "--network", "none", dir.toString());
            String dest = registry.host() + "/team/pushed:1";
            Cli.Result first = ok("push", "pushed:1", dest);
            assertThat(first.err()).contains(": pushed (");
            assertThat(first.out()).contains(dest + ": digest: sha256:");
            String digest = first.out().substring(first.out().indexOf("sha256:")).strip();
            String inspect = HostCommand.run("skopeo", "inspect", "--tls-verify=false", "docker://" + dest);
            assertThat(inspect).contains("\"Digest\": \"" + digest + "\"");
            // again: every blob is there already
            assertThat(ok("push", "pushed:1", dest).err()).doesNotContain(": pushed (").contains("already there");
            // pulled back by krunbox, then pushed to another repository of the registry: mounted, not sent
            ok("pull", dest);
            Cli.Result other = ok("push", dest, registry.host() + "/other/pushed:1");
            assertThat(other.err()).contains("mounted from team/pushed").doesNotContain(": pushed (");
            assertThat(ok("run", "--rm", "--network", "none", registry.host() + "/other/pushed:1").out()).isEqualTo("pushed\n");
            {
                Require.part("podman", Files.isExecutable(Path.of("/usr/bin/podman")), "podman is missing (scripts/setup.sh installs it)");
                Path conf = Files.writeString(dir.resolve("containers.conf"), "[containers]\n"
                        + "default_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n[engine]\nruntime = \"runc\"\n");
                ProcessBuilder pb = new ProcessBuilder("podman", "--root", dir.resolve("podman").toString(), "run", "--rm",
                        "--network", "none", "--tls-verify=false", dest).redirectErrorStream(true);
                pb.environment().put("CONTAINERS_CONF", conf.toString());
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor()).as(out).isZero();
                assertThat(out).endsWith("pushed\n");
            }
            Cli.Result missing = cli.run("push", "nothing:1", dest);
            assertThat(missing.exit()).isEqualTo(125);
            assertThat(missing.err()).contains("no image \"nothing:1\" here");
        }
    }
}
