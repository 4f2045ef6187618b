package io.krunbox.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.Platform;
import io.krunbox.oci.UnexpectedBlobDigestException;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.oci.store.BlobStore;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.oci.testing.LocalRegistry;
import io.krunbox.oci.testing.RegistryProxy;
import io.krunbox.oci.testing.TestLayouts;
import io.krunbox.statedb.StateDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real registry (Debian's docker-registry), with images pushed by skopeo. */
class RegistryPullIT {
    @TempDir static Path shared;
    static LocalRegistry registry;
    static Digest multiIndex;

    @TempDir Path home;
    StateDb db;
    BlobStore blobs;
    LayerCache layers;
    ImageStore images;

    @BeforeAll
    static void registry() throws Exception {
        boolean required = String.valueOf(System.getProperty("krunbox.require", System.getenv("KRUNBOX_REQUIRE")))
                .contains("sandbox");
        if (!LocalRegistry.available()) {
            if (required) {
                throw new AssertionError("docker-registry and skopeo are required: apt-get install docker-registry skopeo");
            }
            Assumptions.abort("docker-registry or skopeo missing");
        }
        registry = LocalRegistry.start(shared.resolve("registry"));
        Path app = shared.resolve("app");
        TestLayouts.write(app, "1", new TestLayouts.Spec("linux", "amd64", List.of(
                Map.of("etc/release", "app 1\n".getBytes()), Map.of("bin/tool", "tool\n".getBytes()))));
        registry.push(app, "1", "app:1");
        registry.push(app, "1", "public/app:1");
        registry.push(app, "1", "private/app:1");
        Path multi = shared.resolve("multi");
        multiIndex = TestLayouts.write(multi, "1", TestLayouts.image("amd64", Map.of("arch", "amd64\n")),
                TestLayouts.image("arm64", Map.of("arch", "arm64\n")));
        registry.push(multi, "1", "multi:1");
        Path big = shared.resolve("big");
        byte[] noise = new byte[3 << 20];
        new SecureRandom().nextBytes(noise); // incompressible: the blob is as big as the data
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("noise.bin", noise);
        TestLayouts.write(big, "1", new TestLayouts.Spec("linux", "amd64", List.of(files)));
        registry.push(big, "1", "big:1");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void store() {
        db = StateDb.open(home.resolve("state.db"));
        blobs = new BlobStore(home.resolve("blobs"));
        layers = new LayerCache(home.resolve("layers"), s -> {});
        images = new ImageStore(db, blobs);
    }

    @AfterEach
    void close() {
        db.close();
    }

    ImagePuller puller(CredentialStore creds, Duration stall, int attempts) {
        return new ImagePuller(new RegistryClient(creds, Set.of(), stall, attempts), blobs, layers, () -> images, 3);
    }

    ImagePuller puller() {
        return puller(new CredentialStore(home.resolve("auth.json"), null), Duration.ofSeconds(30), 3);
    }

    ImageStore.Record pull(ImagePuller p, String ref, Platform platform) throws Exception {
        return p.pull(ImageReference.parse(ref), platform, PullListener.QUIET);
    }

    Path layerDir(ImageStore.Record r, int i) {
        Image image = images.image(r, "test");
        return layers.pathOf(image.layers().get(i));
    }

    @Test
    void pullByTagRecordsTheImageAndUnpacksItsLayers() throws Exception {
        ImageStore.Record r = pull(puller(), registry.host() + "/app:1", Platform.host());
        assertThat(r.tags()).containsExactly(registry.host() + "/app:1");
        assertThat(r.platform()).isEqualTo("linux/amd64");
        assertThat(layerDir(r, 0).resolve("etc/release")).hasContent("app 1");
        assertThat(layerDir(r, 1).resolve("bin/tool")).hasContent("tool");
        assertThat(images.find(registry.host() + "/app:1")).contains(r);
        assertThat(images.find(r.shortId())).contains(r);
        assertThat(blobs.verify()).isEmpty();
    }

    @Test
    void pullByDigestGivesTheSameImage() throws Exception {
        ImageStore.Record byTag = pull(puller(), registry.host() + "/app:1", Platform.host());
        String digest = byTag.repoDigest().substring(byTag.repoDigest().indexOf('@') + 1);
        ImageStore.Record byDigest = pull(puller(), registry.host() + "/app@" + digest, Platform.host());
        assertThat(byDigest.id()).isEqualTo(byTag.id());
    }

    @Test
    void anIndexGivesTheHostsPlatformAndPlatformPicksAnother() throws Exception {
        ImageStore.Record amd = pull(puller(), registry.host() + "/multi:1", new Platform("linux", "amd64", ""));
        assertThat(layerDir(amd, 0).resolve("arch")).hasContent("amd64");
        assertThat(amd.repoDigest()).endsWith("@" + multiIndex);
        ImageStore.Record arm = pull(puller(), registry.host() + "/multi:1", Platform.parse("linux/arm64"));
        assertThat(arm.platform()).isEqualTo("linux/arm64");
        assertThat(layerDir(arm, 0).resolve("arch")).hasContent("arm64");
        assertThatThrownBy(() -> pull(puller(), registry.host() + "/multi:1", Platform.parse("linux/s390x")))
                .hasMessageContaining("has no image for platform linux/s390x; it has [linux/amd64, linux/arm64]");
    }

    @Test
    void aMissingTagSaysSo() {
        assertThatThrownBy(() -> pull(puller(), registry.host() + "/app:nope", Platform.host()))
                .isInstanceOf(ImageException.class)
                .hasMessage("manifest nope of " + registry.host() + "/app not found in " + registry.host()
                        + " (check the name and tag)");
    }

    @Test
    void tokenAuthWithAndWithoutCredentials() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry).requireToken(true)) {
            ImageStore.Record pub = pull(puller(), proxy.host() + "/public/app:1", Platform.host());
            assertThat(pub.tags()).containsExactly(proxy.host() + "/public/app:1");

            assertThatThrownBy(() -> pull(puller(), proxy.host() + "/private/app:1", Platform.host()))
                    .hasMessage(proxy.host() + " requires credentials: run `krunbox login " + proxy.host() + "`");

            CredentialStore wrong = new CredentialStore(home.resolve("wrong.json"), null);
            wrong.save(proxy.host(), new Credentials(RegistryProxy.USER, "guess"));
            assertThatThrownBy(() -> pull(puller(wrong, Duration.ofSeconds(30), 3), proxy.host() + "/private/app:1",
                    Platform.host())).hasMessage("wrong credentials for " + proxy.host() + ": its token service refused"
                    + " user alice; run `krunbox login " + proxy.host() + "` again");

            CredentialStore good = new CredentialStore(home.resolve("auth.json"), null);
            good.save(proxy.host(), new Credentials(RegistryProxy.USER, RegistryProxy.PASSWORD));
            assertThat(Files.getPosixFilePermissions(home.resolve("auth.json")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            ImageStore.Record priv = pull(puller(good, Duration.ofSeconds(30), 3), proxy.host() + "/private/app:1",
                    Platform.host());
            assertThat(priv.id()).isEqualTo(pub.id());
        }
    }

    @Test
    void basicAuth() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry).requireBasic(true)) {
            assertThatThrownBy(() -> pull(puller(), proxy.host() + "/app:1", Platform.host()))
                    .hasMessage(proxy.host() + " requires credentials: run `krunbox login " + proxy.host() + "`");
            CredentialStore creds = new CredentialStore(home.resolve("auth.json"), null);
            creds.save(proxy.host(), new Credentials(RegistryProxy.USER, RegistryProxy.PASSWORD));
            assertThat(pull(puller(creds, Duration.ofSeconds(30), 3), proxy.host() + "/app:1", Platform.host()).tags())
                    .containsExactly(proxy.host() + "/app:1");
        }
    }

    @Test
    void aTamperedBlobFailsTheDigestCheckAndLeavesNoTrace() throws Exception {
        Path tamperRoot = home.resolve("tamper");
        TestLayouts.write(tamperRoot, "1", TestLayouts.image("amd64", Map.of("secret", "original\n")));
        registry.push(tamperRoot, "1", "tamper:1");
        // the layer is the largest blob of this image; flip one of its bytes in the registry's storage
        String layerHex;
        try (Stream<Path> s = Files.list(tamperRoot.resolve("blobs/sha256"))) {
            layerHex = s.max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow()
                    .getFileName().toString();
        }
        Path data = registry.blobData(layerHex);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(data, bytes);
        String actual = Digest.of(bytes).toString();

        assertThatThrownBy(() -> pull(puller(), registry.host() + "/tamper:1", Platform.host()))
                .isInstanceOf(UnexpectedBlobDigestException.class)
                .hasMessage("blob sha256:" + layerHex + " of " + registry.host() + "/tamper:1 hashed to " + actual);
        assertThat(blobs.has(Digest.parse("sha256:" + layerHex))).isFalse();
        assertThat(home.resolve("blobs/.partial/" + layerHex)).doesNotExist();
        assertThat(images.list()).isEmpty();
        if (Files.exists(home.resolve("layers"))) {
            try (Stream<Path> left = Files.list(home.resolve("layers"))) {
                assertThat(left).isEmpty();
            }
        }
        assertThat(blobs.verify()).isEmpty();
    }

    @Test
    void aStalledDownloadFailsInBoundedTimeAndTheNextPullResumes() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry).stallAfter(1 << 20)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> pull(puller(new CredentialStore(home.resolve("a.json"), null),
                    Duration.ofSeconds(1), 2), proxy.host() + "/big:1", Platform.host()))
                    .hasMessageContaining("after 2 attempts: no data for 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(images.list()).isEmpty();

            proxy.stallAfter(-1);
            ImageStore.Record r = pull(puller(), proxy.host() + "/big:1", Platform.host());
            assertThat(proxy.ranges).anyMatch(range -> range.contains("/blobs/") && range.endsWith("bytes=1048576-"));
            assertThat(Files.size(layerDir(r, 0).resolve("noise.bin"))).isEqualTo(3 << 20);
            assertThat(blobs.verify()).isEmpty();
        }
    }
}
