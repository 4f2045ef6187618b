package io.krunbox.oci.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.oci.Digest;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageReference;
import io.krunbox.statedb.StateDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image records and their tags in state.db. */
class ImageStoreTest {
    @TempDir Path dir;

    private ImageStore store() {
        return new ImageStore(StateDb.open(dir.resolve("state.db")), new BlobStore(dir.resolve("blobs")));
    }

    private static Digest digest(String s) {
        return Digest.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anImageIsFoundByTagByIdAndByIdPrefixAndATagMovesToTheNewestImage() {
        ImageStore s = store();
        Digest v1 = digest("config-1");
        Digest v2 = digest("config-2");
        ImageStore.Record one = s.record(v1, digest("manifest-1"), null, "linux/amd64", 100, null,
                ImageReference.parse("app:1"));
        assertThat(s.find("app:1")).contains(one);
        assertThat(s.find(v1.toString())).contains(one);
        assertThat(s.find(v1.hex().substring(0, 12))).contains(one);
        assertThat(one.tags()).containsExactly(ImageReference.parse("app:1").toString());
        ImageStore.Record two = s.record(v2, digest("manifest-2"), null, "linux/amd64", 200, null,
                ImageReference.parse("app:1"));
        assertThat(s.find("app:1")).contains(two);
        assertThat(s.find(v1.toString()).orElseThrow().tags()).isEmpty();
        assertThat(s.list()).hasSize(2);
    }

    @Test
    void untagAndDeleteForgetWhatTheyName() {
        ImageStore s = store();
        Digest id = digest("config");
        ImageStore.Record r = s.record(id, digest("manifest"), null, "linux/amd64", 1, null, ImageReference.parse("a:1"));
        s.tag(r, ImageReference.parse("a:2"));
        assertThat(s.find("a:2")).isPresent();
        assertThat(s.untag(ImageReference.parse("a:2"))).isTrue();
        assertThat(s.untag(ImageReference.parse("a:2"))).isFalse();
        assertThat(s.find("a:2")).isEmpty();
        s.delete(id);
        assertThat(s.find("a:1")).isEmpty();
        assertThat(s.list()).isEmpty();
    }

    @Test
    void anIdPrefixThatFitsTwoImagesIsAmbiguous() {
        ImageStore s = store();
        Digest a = new Digest("sha256", "abcd" + "0".repeat(60));
        Digest b = new Digest("sha256", "abcd" + "1".repeat(60));
        s.record(a, digest("m1"), null, "linux/amd64", 1, null, null);
        s.record(b, digest("m2"), null, "linux/amd64", 1, null, null);
        assertThatThrownBy(() -> s.find("abcd")).isInstanceOf(ImageException.class)
                .hasMessage("image id prefix abcd is ambiguous: it matches 2 images");
        assertThat(s.find("abcd0")).isPresent();
    }
}
