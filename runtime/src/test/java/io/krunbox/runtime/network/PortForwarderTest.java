package io.krunbox.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.PortMapping;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published-port relay on loopback only: a TCP and a UDP echo server stand in for the box. */
class PortForwarderTest {
    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void tcpConnectionsAreRelayedBothWaysUntilTheClientCloses() throws Exception {
        try (ServerSocket box = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = box.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception ignored) {
                    // test ends
                }
            });
            echo.start();
            int published = freePort();
            try (PortForwarder f = PortForwarder.start(List.of(new PortMapping("127.0.0.1", published, box.getLocalPort(),
                    "tcp")), "127.0.0.1", null); Socket c = new Socket("127.0.0.1", published)) {
                OutputStream out = c.getOutputStream();
                out.write("through the forwarder".getBytes(StandardCharsets.UTF_8));
                c.shutdownOutput();
                InputStream in = c.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("through the forwarder");
            }
            echo.join(5000);
        }
    }

    @Test
    void udpDatagramsAreRelayedAndAnsweredToTheirSender() throws Exception {
        try (DatagramSocket box = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try {
                    byte[] buf = new byte[1500];
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    box.receive(p);
                    box.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (Exception ignored) {
                    // test ends
                }
            });
            echo.start();
            int published = freePort();
            try (PortForwarder f = PortForwarder.start(List.of(new PortMapping("127.0.0.1", published,
                    box.getLocalPort(), "udp")), "127.0.0.1", null); DatagramSocket c = new DatagramSocket()) {
                c.setSoTimeout(5000);
                byte[] msg = "dns-ish".getBytes(StandardCharsets.UTF_8);
                c.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), published));
                DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
                c.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("dns-ish");
            }
        }
    }

    @Test
    void aTakenHostPortIsRefusedNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> PortForwarder.start(List.of(new PortMapping("127.0.0.1", taken.getLocalPort(), 80,
                    "tcp")), "127.0.0.1", null)).isInstanceOf(BoxException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }
}
