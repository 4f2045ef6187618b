package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** A failure reads as what failed, never as a Java exception's class. */
class UserMessageTest {
    @Test
    void exceptionClassNamesAreNeverShown() {
        assertThat(UserMessage.of(new UncheckedIOException(new EOFException("Truncated TAR archive"))))
                .isEqualTo("Truncated TAR archive");
        assertThat(UserMessage.of(new IllegalStateException("pull of demo failed: java.io.EOFException: Truncated TAR archive")))
                .isEqualTo("pull of demo failed: Truncated TAR archive");
        assertThat(UserMessage.of(new RuntimeException(new IOException("disk full")))).isEqualTo("disk full");
        assertThat(UserMessage.of(new IllegalArgumentException("--scale x is not SERVICE=N"))).isEqualTo("--scale x is not SERVICE=N");
        String npe = UserMessage.of(new NullPointerException());
        assertThat(npe).contains("KRUNBOX_DEBUG=1").doesNotContain("NullPointerException").doesNotContain("java.");
        assertThat(UserMessage.of(new OutOfMemoryError())).contains("ran out of memory");
    }

    @Test
    void theCommandLineSaysItWithoutAClassName() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = Main.commandLine("kube");
        cli.setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute("kube", "generate", "-f", "/nonexistent/compose.yaml")).isEqualTo(Main.TOOL_ERROR);
        assertThat(err.toString()).startsWith("krunbox: ").doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z]+Exception");
    }
}
