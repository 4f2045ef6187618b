package io.krunbox.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A box that does not become ready, or does not start, fails its test with a reason, and leaves nothing. */
class FailuresIT {
    @Test
    void aWaitThatTimesOutNamesTheBoxAndShowsItsLog() {
        BoxContainer slow = BoxContainer.of("demo").withCommand("sh", "-c", "echo warming up; exec sleep 600")
                .waitingFor(Wait.forLog("ready to serve")).withStartupTimeout(Duration.ofSeconds(2));
        assertThatThrownBy(slow::start).isInstanceOf(BoxStartupException.class)
                .hasMessageMatching("(?s)box kbj-\\w+-\\d+ was not ready after 2 s \\(waiting for a log line matching"
                        + " /ready to serve/\\); its last log lines:\nwarming up");
        assertThat(Session.get().boxes.list(true)).noneMatch(b -> b.spec().labels().containsKey(Session.OWNER_LABEL)
                && b.spec().command() != null && b.spec().command().contains("echo warming up; exec sleep 600"));
    }

    @Test
    void aBoxThatEndsBeforeItIsReadySaysSo() {
        BoxContainer quits = BoxContainer.of("demo").withCommand("sh", "-c", "echo bye; exit 4")
                .waitingFor(Wait.forPort(80)).withStartupTimeout(Duration.ofSeconds(20));
        assertThatThrownBy(quits::start).isInstanceOf(BoxStartupException.class)
                .hasMessageContaining("ended (exited, exit 4) before it was ready (waiting for port 80)")
                .hasMessageContaining("bye");
    }

    @Test
    void aBoxThatCannotStartFailsWithKrunboxsErrorAndLeavesNothing() {
        int before = Session.get().boxes.list(true).size();
        BoxContainer missing = BoxContainer.of("/nonexistent/image-dir");
        assertThatThrownBy(missing::start).isInstanceOf(BoxStartupException.class)
                .hasMessageContaining("did not start").hasMessageContaining("/nonexistent/image-dir");
        assertThat(Session.get().boxes.list(true)).hasSize(before);
        assertThatThrownBy(missing::logs).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not started");
    }
}
