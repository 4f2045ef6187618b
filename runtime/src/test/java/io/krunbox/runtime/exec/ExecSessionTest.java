package io.krunbox.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host side of the exec protocol against a guest that answers and hangs up at once. */
class ExecSessionTest {
    @TempDir Path dir;

    @Test
    void aCommandThatEndedBeforeStdinWasClosedStillGivesItsOutputAndCode() throws Exception {
        Path sock = dir.resolve("exec.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread guest = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                    in.readByte();
                    in.readFully(new byte[in.readInt()]); // the request
                    DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
                    byte[] text = "fast\n".getBytes(StandardCharsets.UTF_8);
                    out.writeByte('O');
                    out.writeInt(text.length);
                    out.write(text);
                    byte[] code = "7".getBytes(StandardCharsets.US_ASCII);
                    out.writeByte('C');
                    out.writeInt(code.length);
                    out.write(code);
                    out.flush();
                } catch (Exception ignored) {
                    // the test's assertions say what went wrong
                }
            });
            guest.start();
            try (ExecSession s = ExecSession.open(sock, new ExecRequest(java.util.List.of("true"), java.util.List.of(), "/",
                    "", false, 24, 80))) {
                guest.join(5000); // the guest has hung up
                s.closeStdin();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(s.relay(out, new ByteArrayOutputStream())).isEqualTo(7);
                assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("fast\n");
            }
        }
    }
}
