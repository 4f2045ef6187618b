package io.krunbox.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.ImageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content-addressed blob store: what is kept is what its name says, and nothing half-written stays. */
class BlobStoreTest {
    @TempDir Path dir;

    private static Descriptor of(byte[] b) {
        return new Descriptor("application/octet-stream", Digest.of(b), b.length, Map.of());
    }

    @Test
    void aBlobIsStoredUnderItsDigestAndReadBack() throws Exception {
        BlobStore s = new BlobStore(dir);
        byte[] b = "layer bytes".getBytes(StandardCharsets.UTF_8);
        Path p = s.put(of(b), b, "test");
        assertThat(p).isEqualTo(dir.resolve("sha256").resolve(Digest.of(b).hex()));
        assertThat(Files.readAllBytes(p)).isEqualTo(b);
        assertThat(s.has(Digest.of(b))).isTrue();
        assertThat(s.all()).containsExactly(Digest.of(b));
        assertThat(s.verify()).isEmpty();
        // a second put of the same content keeps the one there
        assertThat(s.put(of(b), b, "test")).isEqualTo(p);
        s.delete(Digest.of(b));
        assertThat(s.has(Digest.of(b))).isFalse();
    }

    @Test
    void contentThatIsNotWhatTheDescriptorSaysIsRefusedAndNotKept() throws Exception {
        BlobStore s = new BlobStore(dir);
        byte[] real = "real".getBytes(StandardCharsets.UTF_8);
        byte[] other = "fake".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> s.put(of(real), other, "registry.example/app")).isInstanceOf(ImageException.class)
                .hasMessageContaining(Digest.of(real).toString()).hasMessageContaining("registry.example/app");
        Descriptor wrongSize = new Descriptor("application/octet-stream", Digest.of(real), 99, Map.of());
        assertThatThrownBy(() -> s.put(wrongSize, real, "registry.example/app"))
                .hasMessage("blob " + Digest.of(real) + " of registry.example/app has 4 bytes, its descriptor says 99");
        assertThat(s.has(Digest.of(real))).isFalse();
        assertThat(s.all()).isEmpty();
        try (var partials = Files.list(dir.resolve(".partial"))) {
            assertThat(partials).isEmpty();
        }
    }

    @Test
    void verifyNamesABlobWhoseContentChanged() throws Exception {
        BlobStore s = new BlobStore(dir);
        byte[] b = "good".getBytes(StandardCharsets.UTF_8);
        Path p = s.put(of(b), b, "test");
        Files.writeString(p, "evil");
        assertThat(s.verify()).singleElement().asString()
                .startsWith("blob " + Digest.of(b) + " hashes to sha256:" + Digest.of("evil".getBytes(StandardCharsets.UTF_8)).hex());
    }

    @Test
    void anInterruptedWriteResumesFromWhatItHad() throws Exception {
        BlobStore s = new BlobStore(dir);
        byte[] b = "0123456789".getBytes(StandardCharsets.UTF_8);
        try (BlobStore.Writer w = s.open(of(b), "test")) {
            w.stream().write(b, 0, 4);
        }
        try (BlobStore.Writer w = s.open(of(b), "test")) {
            assertThat(w.offset()).isEqualTo(4);
            w.stream().write(b, 4, 6);
            assertThat(Files.readAllBytes(w.commit())).isEqualTo(b);
        }
    }
}
