package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComposeShortcutTest {
    @Test
    void upAndDownBecomeComposeCommandsWithTheProjectOptionsInFront() {
        assertThat(ComposeShortcut.rewrite(new String[] {"up", "-d", "-f", "shop.groovy", "--wait", "--profile=debug"}))
                .containsExactly("compose", "-f", "shop.groovy", "--profile=debug", "up", "-d", "--wait");
        assertThat(ComposeShortcut.rewrite(new String[] {"down", "-v", "--file", "a.yaml", "-p", "shop", "--strict"}))
                .containsExactly("compose", "--file", "a.yaml", "-p", "shop", "--strict", "down", "-v");
        assertThat(ComposeShortcut.rewrite(new String[] {"up", "-f", "x.groovy", "--", "-f"}))
                .containsExactly("compose", "-f", "x.groovy", "up", "--", "-f");
    }

    @Test
    void otherCommandsAreLeftAlone() {
        assertThat(ComposeShortcut.rewrite(new String[] {"ps", "-f", "label=a"})).containsExactly("ps", "-f", "label=a");
        assertThat(ComposeShortcut.rewrite(new String[] {})).isEmpty();
        assertThat(ComposeShortcut.rewrite(new String[] {"compose", "up"})).containsExactly("compose", "up");
    }
}
