package io.krunbox.shell.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's call as the server reads it: every count and field checked, nothing trusted. */
class HelloTest {
    static byte[] fields(String... f) {
        StringBuilder b = new StringBuilder();
        for (String s : f) {
            b.append(s).append('\0');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWellFormedCallIsRead() throws IOException {
        Hello h = Hello.parse(fields("id", "/work", "18", "24", "80", "2", "ps", "-a", "2", "A=1", "B=x=y"));
        assertThat(h.argv()).isEqualTo(List.of("ps", "-a"));
        assertThat(h.env()).containsEntry("A", "1").containsEntry("B", "x=y");
        assertThat(h.rows()).isEqualTo(24);
        assertThat(h.cwd()).isEqualTo("/work");
        assertThat(h.umask()).isEqualTo(022);
    }

    @Test
    void theIdentityIsReadAloneWhateverFollowsIt() {
        // a client of another build is told to go elsewhere even when the rest of its call is not ours
        assertThat(Hello.identityOf(fields("other-build", "anything", "at", "all"))).isEqualTo("other-build");
        assertThat(Hello.identityOf("no terminator".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Hello.identityOf(new byte[5000])).isEmpty();
    }

    @Test
    void malformedCallsAreRefused() {
        assertThatThrownBy(() -> Hello.parse(fields("id", "/", "18", "0", "0", "5", "ps", "0")))
                .hasMessageContaining("argc");
        assertThatThrownBy(() -> Hello.parse(fields("id", "/", "18", "0", "0", "1", "ps", "3", "A=1")))
                .hasMessageContaining("envc");
        assertThatThrownBy(() -> Hello.parse(fields("id", "relative", "18", "0", "0", "0", "0")))
                .hasMessageContaining("working directory");
        assertThatThrownBy(() -> Hello.parse(fields("id", "/", "18", "-1", "0", "0", "0")))
                .hasMessageContaining("not a count");
        assertThatThrownBy(() -> Hello.parse(fields("id", "/", "4096", "0", "0", "0", "0")))
                .hasMessageContaining("umask");
        assertThatThrownBy(() -> Hello.parse("id\0/\0no-terminator".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("malformed");
        // millions of empty fields are refused before a string is made of them
        assertThatThrownBy(() -> Hello.parse(new byte[2 * Hello.MAX_ITEMS + 8])).hasMessageContaining("fields)");
    }

    @Test
    void idleTimesAreDockerLikeDurations() {
        assertThat(CallServer.parseIdle(null)).isEqualTo(Duration.ofHours(3));
        assertThat(CallServer.parseIdle("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(CallServer.parseIdle("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(CallServer.parseIdle("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> CallServer.parseIdle("soon")).hasMessageContaining("KRUNBOX_SERVER_IDLE=soon");
    }
}
