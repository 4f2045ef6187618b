package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code healthcheck run}: the box's own check, now, recorded where ps and inspect read it. */
class HealthcheckRunIT extends SandboxCliTest {
    @Test
    void aCheckRunNowIsRecordedAndItsExitStatusSaysTheResult() throws Exception {
        ok("run", "-d", "--name", "svc", "--network", "none", "--health-cmd", "test -f /tmp/ready", "--health-interval", "1h",
                "--health-retries", "1", "demo", "sleep", "600");
        Cli.Result sick = cli.run("healthcheck", "run", "svc");
        assertThat(sick.exit()).isEqualTo(1);
        assertThat(sick.out()).isEqualTo("unhealthy\n");
        assertThat(ok("inspect", "--format", "{{.State.Health.Status}}", "svc").out().strip()).isEqualTo("unhealthy");
        ok("exec", "svc", "touch", "/tmp/ready");
        Cli.Result well = ok("healthcheck", "run", "svc");
        assertThat(well.out()).isEqualTo("healthy\n");
        assertThat(ok("ps", "--format", "{{.Status}}").out()).contains("(healthy)");

        ok("run", "-d", "--name", "plain", "--network", "none", "demo", "sleep", "600");
        Cli.Result none = cli.run("healthcheck", "run", "plain");
        assertThat(none.exit()).isEqualTo(125);
        assertThat(none.err()).contains("box plain has no health check");
    }
}
