package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chatty box cannot fill the disk: its log rotates at max-size and keeps at most max-file
 * files, whether krunbox-monitor (a plain detached box) or the supervisor JVM (a box with a
 * health check) writes it, and whether the limits come from --log-opt or compose's logging.
 */
class LogRotationIT extends SandboxCliTest {
    static final String CHATTY = "i=0; while [ $i -lt 400 ]; do echo line-$i; i=$((i+1)); done";
    @TempDir Path work;

    void rotatesAndReadsBack(String box, long maxSize, int maxFiles) throws Exception {
        ok("wait", box);
        Path log = Path.of(ok("inspect", "--format", "{{.LogPath}}", box).out().strip());
        List<Path> files;
        try (var s = Files.list(log.getParent())) {
            files = s.filter(p -> p.getFileName().toString().startsWith("console.log")).sorted().toList();
        }
        assertThat(files).as("the log's files").hasSize(maxFiles);
        for (Path f : files) {
            assertThat(Files.size(f)).as(f.toString()).isLessThanOrEqualTo(maxSize);
        }
        List<String> lines = ok("logs", box).out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("line-399");
        int first = Integer.parseInt(lines.get(0).substring(5));
        assertThat(first).as("the oldest lines are gone").isGreaterThan(0);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo("line-" + (first + i));
        }
    }

    @Test
    void theMonitorsLogRotatesAtMaxSizeAndKeepsMaxFiles() throws Exception {
        ok("run", "-d", "--name", "chatty", "--network", "none", "--log-opt", "max-size=2k", "--log-opt", "max-file=3",
                "demo", "sh", "-c", CHATTY);
        rotatesAndReadsBack("chatty", 2048, 3);
    }

    @Test
    void theSupervisorsLogRotatesToo() throws Exception {
        ok("run", "-d", "--name", "checked", "--network", "none", "--health-cmd", "true", "--log-opt",
                "max-size=2k,max-file=2", "demo", "sh", "-c", CHATTY);
        rotatesAndReadsBack("checked", 2048, 2);
    }

    @Test
    void composeLoggingOptionsSetTheLimits() throws Exception {
        Path f = work.resolve("compose.yaml");
        Files.writeString(f, "services:\n  chatty:\n    image: demo\n    network_mode: none\n    command: [sh, -c, '" + CHATTY.replace("$", "$$")
                + "']\n    logging:\n      driver: local\n      options: {max-size: 2k, max-file: 2}\n");
        ok("compose", "-f", f.toString(), "up", "-d");
        String box = work.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9_-]", "") + "-chatty-1";
        rotatesAndReadsBack(box, 2048, 2);
        ok("compose", "-f", f.toString(), "down");
    }

    @Test
    void anUnknownLogOptionOrDriverIsRefusedByName() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--log-opt", "compress=true", "demo", "true");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("log option \"compress=true\" is not known");
        Cli.Result d = cli.run("run", "--rm", "--log-driver", "syslog", "demo", "true");
        assertThat(d.exit()).isEqualTo(125);
        assertThat(d.err()).contains("--log-driver syslog is not supported");
    }
}
