package io.krunbox.runtime.network;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.PortMapping;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The userspace side of published ports, run by the process that owns the box: it listens
 * on the host address (so 127.0.0.1 works, which DNAT cannot do) and relays each
 * connection (TCP) or each client's datagrams (UDP) to the box. Sockets are made inside
 * krunbox's network namespace.
 */
public final class PortForwarder implements Closeable {
    private final List<Closeable> open = new ArrayList<>();
    private final NetnsThread netns;
    private volatile boolean closed;

    private PortForwarder(NetnsThread netns) {
        this.netns = netns;
    }

    /** Starts relaying every mapping to {@code boxIp}; fails (closing what it opened) if a host port is taken. */
    public static PortForwarder start(List<PortMapping> ports, String boxIp, String netnsName) {
        PortForwarder f = new PortForwarder(new NetnsThread(netnsName));
        try {
            for (PortMapping p : ports) {
                InetSocketAddress to = new InetSocketAddress(boxIp, p.boxPort());
                InetSocketAddress at = new InetSocketAddress(p.hostIp(), p.hostPort());
                if (p.protocol().equals("tcp")) {
                    f.tcp(at, to);
                } else {
                    f.udp(at, to);
                }
            }
            return f;
        } catch (IOException e) {
            f.close();
            throw new BoxException("cannot publish port: " + e.getMessage());
        }
    }

    private void tcp(InetSocketAddress at, InetSocketAddress to) throws IOException {
        ServerSocketChannel server = netns.call(() -> {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(at);
            return s;
        }, "listen on " + at.getHostString() + ":" + at.getPort());
        open.add(server);
        daemon("port-" + at.getPort(), () -> {
            while (!closed) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return;
                }
                daemon("port-" + at.getPort() + "-conn", () -> relay(client, to));
            }
        });
    }

    private void relay(SocketChannel client, InetSocketAddress to) {
        try (client; SocketChannel box = netns.call(SocketChannel::open, "connect")) {
            box.connect(to);
            Thread back = daemon("port-relay", () -> pump(box, client));
            pump(client, box);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the client or the box went away: the connection ends
        }
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        // direct: no copy between the kernel and the Java heap on each read and write
        ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // both ends are going
            }
        }
    }

    private void udp(InetSocketAddress at, InetSocketAddress to) throws IOException {
        DatagramChannel server = netns.call(() -> DatagramChannel.open().bind(at), "listen on udp " + at.getPort());
        open.add(server);
        Map<SocketAddress, DatagramChannel> clients = new ConcurrentHashMap<>();
        daemon("port-udp-" + at.getPort(), () -> {
            ByteBuffer buf = ByteBuffer.allocate(65536);
            while (!closed) {
                try {
                    buf.clear();
                    SocketAddress from = server.receive(buf);
                    buf.flip();
                    DatagramChannel up = clients.get(from);
                    if (up == null) {
                        DatagramChannel c = netns.call(DatagramChannel::open, "udp relay");
                        c.connect(to);
                        clients.put(from, c);
                        open.add(c);
                        up = c;
                        daemon("port-udp-reply", () -> {
                            ByteBuffer r = ByteBuffer.allocate(65536);
                            while (!closed) {
                                try {
                                    r.clear();
                                    c.read(r);
                                    r.flip();
                                    server.send(r, from);
                                } catch (IOException e) {
                                    return;
                                }
                            }
                        });
                    }
                    up.write(buf);
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        });
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        closed = true;
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        netns.close();
    }
}
