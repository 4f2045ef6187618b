package io.krunbox.runtime.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.model.LogPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A box's log rotates at its size: at most max-file files of at most max-size, read back oldest first. */
class LogWriterTest {
    @Test
    void theLogRotatesKeepingAtMostMaxFilesOfMaxSizeAndReadsBackInOrder(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("console.log");
        try (LogWriter w = new LogWriter(log, new LogPolicy(1024, 3))) {
            for (int i = 0; i < 500; i++) {
                w.stdout().write(("line-" + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(LogWriter.files(log)).containsExactly(dir.resolve("console.log.2"), dir.resolve("console.log.1"), log);
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(3);
        }
        for (Path f : LogWriter.files(log)) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(1024);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogReader.print(log, new LogReader.Options(false, null, null, -1, false), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream()), () -> false);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("line-499");
        // what is kept is the newest lines, each once, in order
        int first = Integer.parseInt(lines.get(0).substring(5));
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo("line-" + (first + i));
        }
        assertThat(first).isGreaterThan(0);
    }

    @Test
    void aLongLineIsCutSoNoFileGrowsPastItsSize(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("console.log");
        try (LogWriter w = new LogWriter(log, new LogPolicy(2048, 2))) {
            w.stderr().write("x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
        }
        for (Path f : LogWriter.files(log)) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(2048);
        }
        assertThat(LogWriter.files(log)).hasSize(2);
    }

    @Test
    void logOptionsParseAsDockersAndBadOnesAreRefusedByName() {
        assertThat(LogPolicy.parse(List.of("max-size=10m", "max-file=3"), LogPolicy.DEFAULT))
                .isEqualTo(new LogPolicy(10L << 20, 3));
        assertThat(LogPolicy.parse(List.of("max-size=2k,max-file=1"), LogPolicy.DEFAULT)).isEqualTo(new LogPolicy(2048, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogPolicy.parse(List.of("compress=true"), LogPolicy.DEFAULT))
                .hasMessage("log option \"compress=true\" is not known: give max-size=SIZE or max-file=N");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogPolicy.parse(List.of("max-size=10"), LogPolicy.DEFAULT))
                .hasMessage("log max-size must be at least 1k, got 10 bytes");
    }
}
