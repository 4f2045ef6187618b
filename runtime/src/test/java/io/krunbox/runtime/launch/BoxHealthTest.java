package io.krunbox.runtime.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxHealthTest {
    @Test
    void readsTheStatusTheStreakAndTheResultsWithTheirOutputUnescaped() {
        BoxHealth h = BoxHealth.parse("unhealthy 2\n1000 1500 1 no\\nfile \\\\ here\n2000 2100 -1 Health check exceeded timeout (1s)\n")
                .orElseThrow();
        assertThat(h.status()).isEqualTo("unhealthy");
        assertThat(h.failingStreak()).isEqualTo(2);
        assertThat(h.log()).hasSize(2);
        assertThat(h.log().get(0).output()).isEqualTo("no\nfile \\ here");
        assertThat(h.log().get(0).start()).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(h.log().get(1).exitCode()).isEqualTo(-1);
        assertThat(h.lastEnd()).isEqualTo(Instant.ofEpochMilli(2100));
    }

    @Test
    void aFileThatDoesNotParseReadsAsNone() {
        assertThat(BoxHealth.parse("")).isEmpty();
        assertThat(BoxHealth.parse("sick 0\n")).isEmpty();
        assertThat(BoxHealth.parse("healthy x\n")).isEmpty();
        assertThat(BoxHealth.parse("healthy 0\n1 2\n")).isEmpty();
        assertThat(BoxHealth.parse("healthy 0\n1 2 99999 out\n")).isEmpty();
        assertThat(BoxHealth.parse("starting 0\n").orElseThrow().lastEnd()).isNull();
    }

    @Test
    void aLinkInThePlaceOfTheFileIsNotFollowed(@TempDir Path dir) throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "healthy 0\n");
        Path box = Files.createDirectory(dir.resolve("box"));
        Files.createSymbolicLink(box.resolve(BoxHealth.FILE), elsewhere);
        assertThat(BoxHealth.read(box)).isEmpty();
        Files.delete(box.resolve(BoxHealth.FILE));
        Files.writeString(box.resolve(BoxHealth.FILE), "healthy 0\n");
        assertThat(BoxHealth.read(box).orElseThrow().status()).isEqualTo("healthy");
    }
}
