package io.krunbox.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoxStatusTest {
    @Test
    void everyStatusIsStoredAndPrintedAsItsWordAndReadBack() {
        assertThat(Arrays.stream(BoxStatus.values()).map(BoxStatus::word))
                .containsExactly("creating", "created", "running", "restarting", "exited", "failed");
        for (BoxStatus s : BoxStatus.values()) {
            assertThat(BoxStatus.of(s.word())).isSameAs(s);
            assertThat(s).hasToString(s.word());
        }
    }

    @Test
    void creatingRunningAndRestartingBoxesAreActive() {
        assertThat(Arrays.stream(BoxStatus.values()).filter(BoxStatus::active))
                .containsExactly(BoxStatus.CREATING, BoxStatus.RUNNING, BoxStatus.RESTARTING);
    }

    @Test
    void anUnknownWordInStateDbIsAnError() {
        assertThatThrownBy(() -> BoxStatus.of("paused")).hasMessage("state.db holds an unknown box status 'paused'");
    }
}
