package io.krunbox.runtime.exec;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One exec in a box over guest-init's framed protocol ({@code [type][length][payload]}):
 * stdin goes in as 'I' frames (closed with 'i'), output comes back as 'O' and 'E', the end
 * as 'C' with the exit code. Resize ('R') and signals ('S') may be sent at any time.
 */
public final class ExecSession implements AutoCloseable {
    private final SocketChannel channel;
    private final DataOutputStream out;
    private final DataInputStream in;

    private ExecSession(SocketChannel channel) {
        this.channel = channel;
        // not Channels.newInputStream/newOutputStream: they share the channel's blocking lock, so a
        // read waiting for output would stop stdin from being written
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        }, 1 << 16));
        this.in = new DataInputStream(new java.io.BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        }, 1 << 16));
    }

    /** Connects to a box's exec socket and sends the request. */
    public static ExecSession open(Path socket, ExecRequest request) throws IOException {
        // the socket's directory is writable in the box: a link left there to another socket of the host is refused
        Object mode = java.nio.file.Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? java.nio.file.Files.getAttribute(socket, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS) : null;
        if (mode != null && (((Integer) mode) & 0170000) != 0140000) {
            throw new IOException("the box's exec socket " + socket + " is not a socket (did the box replace it?)");
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot reach the box's exec socket " + socket + ": " + e.getMessage(), e);
        }
        ExecSession s = new ExecSession(ch);
        s.send('X', request.toJson().getBytes(StandardCharsets.UTF_8));
        return s;
    }

    public synchronized void send(char type, byte[] data) throws IOException {
        out.writeByte(type);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    public void stdin(byte[] data, int len) throws IOException {
        send('I', java.util.Arrays.copyOf(data, len));
    }

    /**
     * Ends the exec's stdin. A command that has already ended (and closed the connection) is
     * not an error here: its output and exit code are still waiting to be read by {@link #relay}.
     */
    public void closeStdin() throws IOException {
        try {
            send('i', new byte[0]);
        } catch (IOException endedAlready) {
            // relay reports how the command ended
        }
    }

    public void resize(int rows, int cols) throws IOException {
        send('R', (rows + " " + cols).getBytes(StandardCharsets.US_ASCII));
    }

    public void signal(int signal) throws IOException {
        send('S', Integer.toString(signal).getBytes(StandardCharsets.US_ASCII));
    }

    /** Copies {@code source} into the exec's stdin on a daemon thread, then closes it. */
    public Thread pumpStdin(InputStream source) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = source.read(buf)) > 0) {
                    stdin(buf, n);
                }
                closeStdin();
            } catch (IOException ignored) {
                // the exec ended or the box went away
            }
        }, "exec-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Copies output until the command ends; returns its exit code. Every frame is checked
     * ({@link FrameReader}): a hostile or broken one ends the session with an {@link ExecProtocolException}.
     */
    public int relay(OutputStream stdout, OutputStream stderr) throws IOException {
        FrameReader frames = new FrameReader(in);
        for (;;) {
            FrameReader.Frame f = frames.next();
            switch (f.type()) {
                case 'O' -> {
                    stdout.write(f.payload());
                    stdout.flush();
                }
                case 'E' -> {
                    stderr.write(f.payload());
                    stderr.flush();
                }
                default -> {
                    return f.exitCode();
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
