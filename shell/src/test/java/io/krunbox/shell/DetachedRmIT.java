package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code run -d --rm}: krunbox-monitor watches the box (no JVM of its own) and, when it ends,
 * has krunbox record the end and remove it at once; its log stays for {@code logs}.
 */
class DetachedRmIT extends SandboxCliTest {
    @Test
    void aDetachedRmBoxIsTheMonitorsAndGoesWhenItEndsWithNoCommandNeeded() throws Exception {
        String id = ok("run", "-d", "--rm", "--name", "brief", "--network", "none", "demo", "sh", "-c",
                "echo bye; sleep 2; exit 3").out().strip();
        assertThat(PublishedPortsIT.monitorOf(id)).as("watched by krunbox-monitor").isPresent();
        assertThat(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .map(c -> c.contains("BoxSupervisor") && c.contains(id)).orElse(false))).as("no supervisor JVM").isFalse();
        Path dir = home.resolve("boxes").resolve(id);
        for (int i = 0; i < 150 && Files.exists(dir); i++) {
            Thread.sleep(100); // no krunbox command runs meanwhile: the monitor's own call removes the box
        }
        assertThat(dir).as("removed when it ended").doesNotExist();
        assertThat(ok("ps", "-a", "-q").out()).isBlank();
        assertThat(ok("logs", "brief").out()).isEqualTo("bye\n");
    }
}
