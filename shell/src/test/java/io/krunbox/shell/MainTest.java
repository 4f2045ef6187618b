package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void aCommandLineBuildsOnlyTheCommandItNamesAndHelpBuildsThemAll() {
        assertThat(Main.commandLine("run").getSubcommands()).containsOnlyKeys("run");
        assertThat(Main.commandLine("image").getSubcommands().get("image").getSubcommands()).containsKeys("ls", "rm", "inspect");
        assertThat(Main.commandLine("--help").getSubcommands()).containsKeys("run", "ps", "compose", "image", "doctor")
                .hasSize(KrunboxCommand.SUBCOMMANDS.size());
        assertThat(Main.commandLine("rnu").getSubcommands()).hasSize(KrunboxCommand.SUBCOMMANDS.size());
        // bad flags still exit 125 in the single-command tree
        assertThat(Main.commandLine("ps").execute("ps", "--no-such-flag")).isEqualTo(Main.TOOL_ERROR);
    }
}
