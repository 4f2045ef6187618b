package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.oci.testing.LocalRegistry;
import io.krunbox.oci.testing.RegistryProxy;
import io.krunbox.oci.testing.TestLayouts;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import io.krunbox.runtime.testing.Require;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image commands of the real CLI against a real registry, and boxes run from pulled images. */
class ImageCommandsIT {
    @TempDir static Path shared;
    static LocalRegistry registry;
    static String busybox;

    @TempDir Path home;
    Cli cli;

    @BeforeAll
    static void registry() throws Exception {
        HostParts.sandbox();
        Require.part("sandbox", LocalRegistry.available(), "docker-registry and skopeo are missing");
        registry = LocalRegistry.start(shared.resolve("registry"));
        registry.push(HostParts.demoImage(), "latest", "tools/busybox:1");
        busybox = registry.host() + "/tools/busybox:1";
        byte[] noise = new byte[8 << 20];
        new SecureRandom().nextBytes(noise);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("noise.bin", noise);
        Path big = shared.resolve("big");
        TestLayouts.write(big, "1", new TestLayouts.Spec("linux", "amd64", List.of(files)));
        registry.push(big, "1", "big:1");
        Path multi = shared.resolve("multi");
        TestLayouts.write(multi, "1", TestLayouts.image("amd64", Map.of("arch", "amd64\n")),
                TestLayouts.image("arm64", Map.of("arch", "arm64\n")));
        registry.push(multi, "1", "multi:1");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void cli() {
        cli = new Cli(home);
    }

    @Test
    void pullListRunAndRemove() throws Exception {
        Cli.Result pull = cli.run("pull", busybox);
        assertThat(pull.exit()).as(pull.err()).isZero();
        assertThat(pull.out()).contains("Pulling from " + busybox, "Pull complete", "Digest: sha256:",
                "Status: Downloaded image for " + busybox).endsWith(busybox + "\n");

        Cli.Result table = cli.run("images");
        assertThat(table.out()).startsWith("REPOSITORY").containsPattern(
                "(?m)^" + registry.host().replace(".", "\\.") + "/tools/busybox +1 +[0-9a-f]{12} ");
        JsonNode json = new ObjectMapper().readTree(cli.run("images", "--format", "json").out());
        assertThat(json.get(0).get("RepoTags").get(0).asText()).isEqualTo(busybox);
        String id = json.get(0).get("Id").asText();

        Cli.Result run = cli.run("run", "--rm", "--isolation", "sandbox", busybox, "cat", "/etc/passwd");
        assertThat(run.out()).startsWith("root:x:0:0:");

        Cli.Result inspect = cli.run("image", "inspect", busybox);
        assertThat(new ObjectMapper().readTree(inspect.out()).get(0).get("Id").asText()).isEqualTo(id);

        Cli.Result rmi = cli.run("rmi", busybox);
        assertThat(rmi.out()).isEqualTo("Untagged: " + busybox + "\nDeleted: " + id + "\n");
        assertThat(cli.run("images", "-q").out()).isEmpty();
        assertThat(cli.run("rmi", busybox).exit()).isEqualTo(1);
    }

    @Test
    void runPullsAMissingImage() throws Exception {
        Cli.Result run = cli.run("run", "--rm", "--isolation", "sandbox", busybox, "echo", "pulled");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("pulled\n");
        assertThat(run.err()).contains("Unable to find image '" + busybox + "' locally", "Pull complete");
        assertThat(cli.run("images", "-q").out()).hasLineCount(1);
    }

    @Test
    void pullNeverRefusesAMissingImageAndPullAlwaysPullsAHeldOneAgain() throws Exception {
        Cli.Result never = cli.run("run", "--rm", "--pull", "never", "--isolation", "sandbox", busybox, "true");
        assertThat(never.exit()).isEqualTo(125);
        assertThat(never.err()).contains("image \"" + busybox + "\" is not held here and --pull never forbids pulling it");
        assertThat(cli.run("images", "-q").out()).isEmpty();
        assertThat(cli.run("pull", "-q", busybox).exit()).isZero();
        Cli.Result always = cli.run("run", "--rm", "--pull", "always", "--init", "--isolation", "sandbox", busybox,
                "echo", "ok");
        assertThat(always.exit()).as(always.err()).isZero();
        assertThat(always.out()).isEqualTo("ok\n");
        assertThat(always.err()).contains("Pulling " + busybox).doesNotContain("Unable to find image");
        Cli.Result held = cli.run("run", "--rm", "--pull", "never", "--isolation", "sandbox", busybox, "echo", "held");
        assertThat(held.out()).isEqualTo("held\n");
        assertThat(held.err()).doesNotContain("Pulling").doesNotContain("Unable to find image");
        // a held image is not reported missing (the notice was printed before the store was asked)
        assertThat(cli.run("run", "--rm", "--isolation", "sandbox", busybox, "true").err()).isEmpty();
        assertThat(cli.run("run", "--rm", "--pull", "sometimes", busybox, "true").err())
                .contains("--pull sometimes is not missing, always or never");
    }

    @Test
    void anImageABoxWasMadeFromIsRefusedUnlessForced() throws Exception {
        cli.run("pull", "-q", busybox);
        assertThat(cli.run("run", "--isolation", "sandbox", "--name", "keeper", busybox, "true").exit()).isZero();
        Cli.Result refused = cli.run("rmi", busybox);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("is used by box keeper: remove the box first, or use -f");
        assertThat(cli.run("rmi", "-f", busybox).exit()).isZero();
        try (Stream<Path> boxes = Files.list(home.resolve("boxes"))) {
            boxes.forEach(b -> {
                try {
                    io.krunbox.oci.layer.LayerUnpacker.deleteTree(b);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void tagAddsANameAndRmiOfOneNameOnlyUntags() throws Exception {
        cli.run("pull", "-q", busybox);
        assertThat(cli.run("tag", busybox, "mine/box:v2").exit()).isZero();
        assertThat(cli.run("images").out()).contains("mine/box", "v2");
        assertThat(cli.run("rmi", "mine/box:v2").out()).isEqualTo("Untagged: mine/box:v2\n");
        assertThat(cli.run("images", "-q").out()).hasLineCount(1);
    }

    @Test
    void saveThenLoadKeepsTheDigestAndSkopeoReadsTheArchive() throws Exception {
        cli.run("pull", "-q", busybox);
        String id = new ObjectMapper().readTree(cli.run("images", "--format", "json").out()).get(0).get("Id").asText();
        Path tar = home.resolve("busybox.tar");
        assertThat(cli.run("save", "-o", tar.toString(), busybox).exit()).isZero();
        for (String transport : new String[] {"oci-archive:", "docker-archive:"}) {
            HostCommand.Result r = HostCommand.tryRun("skopeo", "inspect", "--config", transport + tar);
            assertThat(r.exitCode()).as(transport + r.output()).isZero();
            assertThat(r.output()).contains("\"architecture\": \"amd64\"");
        }
        cli.run("rmi", busybox);
        Cli.Result load = cli.run("load", "-i", tar.toString());
        assertThat(load.out()).isEqualTo("Loaded image: " + busybox + "\n");
        JsonNode after = new ObjectMapper().readTree(cli.run("images", "--format", "json").out());
        assertThat(after.get(0).get("Id").asText()).isEqualTo(id);
        assertThat(cli.run("run", "--rm", "--isolation", "sandbox", busybox, "echo", "loaded").out()).isEqualTo("loaded\n");
    }

    @Test
    void platformChoosesFromAnIndex() throws Exception {
        Cli.Result r = cli.run("pull", "--platform", "linux/arm64", registry.host() + "/multi:1");
        assertThat(r.out()).contains("(linux/arm64)");
        JsonNode json = new ObjectMapper().readTree(cli.run("image", "inspect", registry.host() + "/multi:1").out());
        assertThat(json.get(0).get("Architecture").asText()).isEqualTo("arm64");
        Cli.Result bad = cli.run("pull", "--platform", "linux/mips", registry.host() + "/multi:1");
        assertThat(bad.exit()).isEqualTo(125);
        assertThat(bad.err()).contains("has no image for platform linux/mips; it has [linux/amd64, linux/arm64]");
    }

    @Test
    void loadTakesADockerArchiveMadeBySkopeo() throws Exception {
        Path tar = home.resolve("docker.tar");
        HostCommand.run("skopeo", "copy", "--quiet", "oci:" + HostParts.demoImage() + ":latest",
                "docker-archive:" + tar + ":archived/busybox:7");
        Cli.Result load = cli.run("load", "-i", tar.toString());
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(load.out()).isEqualTo("Loaded image: archived/busybox:7\n");
        assertThat(cli.run("run", "--rm", "--isolation", "sandbox", "archived/busybox:7", "echo", "from docker-archive").out())
                .isEqualTo("from docker-archive\n");
    }

    @Test
    void importMakesARunnableImageFromARootfsTar() throws Exception {
        // the demo image's only layer is a gzip tar of a busybox root file system
        Path layer;
        try (Stream<Path> blobs = Files.list(HostParts.demoImage().resolve("blobs/sha256"))) {
            layer = blobs.max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        Cli.Result imp = cli.run("import", layer.toString(), "imported/rootfs:1");
        assertThat(imp.exit()).as(imp.err()).isZero();
        assertThat(imp.out()).startsWith("sha256:");
        assertThat(cli.run("run", "--rm", "--isolation", "sandbox", "imported/rootfs:1", "sh", "-c", "echo imported").out())
                .isEqualTo("imported\n");
    }

    @Test
    void pruneRemovesWhatNoImageNeeds() throws Exception {
        cli.run("pull", "-q", busybox);
        cli.run("rmi", busybox);
        Cli.Result prune = cli.run("image", "prune");
        assertThat(prune.out()).contains("Deleted 3 blobs and 1 layers");
        try (Stream<Path> left = Files.list(home.resolve("blobs/sha256"))) {
            assertThat(left).isEmpty();
        }
        assertThat(cli.run("image", "verify").out()).isEqualTo("0 blobs verified\n");
    }

    @Test
    void loginChecksAndStoresCredentialsForATokenRegistry() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry).requireToken(true)) {
            String privateRef = proxy.host() + "/tools/busybox:1";
            Cli.Result denied = cli.run("pull", privateRef);
            assertThat(denied.exit()).isEqualTo(125);
            assertThat(denied.err()).contains("requires credentials: run `krunbox login " + proxy.host() + "`");

            Cli.Result wrong = cli.run("login", "-u", "alice", "-p", "nope", proxy.host());
            assertThat(wrong.exit()).isEqualTo(125);
            assertThat(wrong.err()).contains("wrong credentials for " + proxy.host());
            assertThat(home.resolve("auth.json")).doesNotExist();

            Cli.Result ok = cli.run("login", "-u", RegistryProxy.USER, "-p", RegistryProxy.PASSWORD, proxy.host());
            assertThat(ok.out()).isEqualTo("Login Succeeded\n");
            assertThat(Files.getPosixFilePermissions(home.resolve("auth.json")))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            assertThat(cli.run("pull", "-q", privateRef).exit()).isZero();
            assertThat(cli.run("logout", proxy.host()).out()).isEqualTo("Removing login credentials for " + proxy.host() + "\n");
        }
    }

    @Test
    void aPullKilledMidLayerResumesAndTheStoreVerifies() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry).throttle(1 << 20)) {
            String ref = proxy.host() + "/big:1";
            // a process killed mid-layer: the pull runs in a JVM of its own (through the server, a killed
            // client's call is cancelled instead: ServerIT)
            Process p = cli.with("KRUNBOX_SERVER", "0").start("pull", ref);
            Path partials = home.resolve("blobs/.partial");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long seen = 0;
            while (System.nanoTime() < deadline && seen < (2 << 20)) {
                if (Files.isDirectory(partials)) {
                    try (Stream<Path> s = Files.list(partials)) {
                        seen = s.mapToLong(f -> f.toFile().length()).max().orElse(0);
                    }
                }
                Thread.sleep(50);
            }
            assertThat(seen).as("a partial layer was being written").isGreaterThanOrEqualTo(2 << 20);
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            assertThat(cli.run("images", "-q").out()).isEmpty();

            proxy.throttle(0);
            Cli.Result again = cli.run("pull", ref);
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(proxy.ranges).anyMatch(r -> r.contains("/blobs/sha256:") && !r.endsWith("bytes=0-"));
            Cli.Result verify = cli.run("image", "verify");
            assertThat(verify.exit()).isZero();
            assertThat(verify.out()).endsWith("blobs verified\n");
            try (Stream<Path> s = Files.list(partials)) {
                assertThat(s).isEmpty();
            }
        }
    }
}
