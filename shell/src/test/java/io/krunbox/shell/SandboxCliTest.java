package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI integration tests share: a fresh home per test, the real {@code krunbox}
 * command, and after each test every box removed and nothing left behind (processes,
 * mounts, box directories).
 */
abstract class SandboxCliTest {
    @TempDir Path home;
    Cli cli;

    @BeforeAll
    static void needsSandbox() {
        HostParts.sandbox();
    }

    @BeforeEach
    void cli() {
        cli = new Cli(home);
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        for (String id : cli.run("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                cli.run("rm", "-f", "-v", id);
            }
        }
        assertThat(cli.leftovers()).isEmpty();
        // the test namespace is shared by every home of this run: their bridges and subnets go with them
        for (String n : cli.run("network", "ls", "-q").out().split("\\s+")) {
            if (!n.isBlank()) {
                cli.run("network", "rm", n);
            }
        }
    }

    /** Runs krunbox and expects it to succeed. */
    Cli.Result ok(String... args) throws Exception {
        Cli.Result r = cli.run(args);
        assertThat(r.exit()).as("krunbox %s: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }
}
