package io.krunbox.junit;

import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * When a started box counts as ready: a port that accepts, a log line, its health check, a command
 * that succeeds, an HTTP answer; {@link #and} combines them. A box that is not ready in time fails
 * its test with a message that names it and shows its last log lines.
 */
public abstract class Wait {
    Wait() {}

    /** Something in the box listens on {@code boxPort}, and, when the box publishes it, the test's connections get through. */
    public static Wait forPort(int boxPort) {
        return new Wait() {
            @Override
            boolean ready(RunningBox box) {
                boolean published = box.record().spec().ports().stream().anyMatch(p -> p.boxPort() == boxPort);
                return listening(box, boxPort) && (!published || accepts(box.host(), box.mappedPort(boxPort)));
            }

            @Override
            public String toString() {
                return "port " + boxPort;
            }
        };
    }

    /** A line of its log (stdout or stderr) matches {@code regex}. */
    public static Wait forLog(String regex) {
        Pattern p = Pattern.compile(regex);
        return new Wait() {
            @Override
            boolean ready(RunningBox box) {
                return box.logs().lines().anyMatch(l -> p.matcher(l).find());
            }

            @Override
            public String toString() {
                return "a log line matching /" + regex + "/";
            }
        };
    }

    /** Its health check (from the image, the compose file or {@code --health-cmd}) says healthy. */
    public static Wait forHealthcheck() {
        return new Wait() {
            @Override
            boolean ready(RunningBox box) {
                BoxRecord b = box.record();
                if (b.spec().health() == null) {
                    throw new BoxStartupException("box " + box.name() + " has no health check to wait for:"
                            + " give it one, or wait for a port or a log line");
                }
                return "healthy".equals(b.health());
            }

            @Override
            public String toString() {
                return "its health check";
            }
        };
    }

    /** {@code command}, run in the box, exits 0. */
    public static Wait forCommand(String... command) {
        return new Wait() {
            @Override
            boolean ready(RunningBox box) {
                return box.exec(command).exitCode() == 0;
            }

            @Override
            public String toString() {
                return "`" + String.join(" ", command) + "` to succeed";
            }
        };
    }

    /** A GET of {@code path} answers 2xx, on the box's first published port unless {@link HttpWait#onPort} says. */
    public static HttpWait forHttp(String path) {
        return new HttpWait(path, -1);
    }

    /** Ready when this and {@code other} are. */
    public Wait and(Wait other) {
        Wait first = this;
        return new Wait() {
            @Override
            boolean ready(RunningBox box) {
                return first.ready(box) && other.ready(box);
            }

            @Override
            public String toString() {
                return first + " and " + other;
            }
        };
    }

    /** One look: whether the box is ready now. */
    abstract boolean ready(RunningBox box);

    /** Looks until the box is ready, it ends, or {@code timeout} has passed. */
    void await(RunningBox box, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            BoxRecord b = box.record();
            if (!b.status().active()) {
                throw new BoxStartupException("box " + box.name() + " ended (" + b.status()
                        + (b.exitCode() == null ? "" : ", exit " + b.exitCode()) + ") before it was ready (waiting for "
                        + this + "); its last log lines:\n" + box.lastLines(20));
            }
            try {
                if (b.status() == BoxStatus.RUNNING && ready(box)) {
                    return;
                }
            } catch (BoxStartupException e) {
                throw e;
            } catch (RuntimeException notYet) {
                // an exec or a connection that failed: not ready yet
            }
            if (System.nanoTime() > deadline) {
                throw new BoxStartupException("box " + box.name() + " was not ready after " + timeout.toSeconds()
                        + " s (waiting for " + this + "); its last log lines:\n" + box.lastLines(20));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BoxStartupException("interrupted while waiting for box " + box.name());
            }
        }
    }

    /** {@link #forHttp}: the port and the status it waits for. */
    public static final class HttpWait extends Wait {
        private final String path;
        private final int port;

        HttpWait(String path, int port) {
            this.path = path.startsWith("/") ? path : "/" + path;
            this.port = port;
        }

        /** On this box port. */
        public HttpWait onPort(int boxPort) {
            return new HttpWait(path, boxPort);
        }

        @Override
        boolean ready(RunningBox box) {
            int boxPort = port > 0 ? port : box.record().spec().ports().stream().findFirst()
                    .orElseThrow(() -> new BoxStartupException("box " + box.name() + " publishes no port for"
                            + " Wait.forHttp(\"" + path + "\"): add withExposedPorts(...)")).boxPort();
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + box.host() + ":" + box.mappedPort(boxPort)
                        + path).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                int status = c.getResponseCode();
                c.disconnect();
                return status >= 200 && status < 300;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "HTTP 2xx from " + path + (port > 0 ? " on port " + port : "");
        }
    }

    /** Whether something in the box listens on {@code port} (its /proc/net/tcp*); true where the box has no cat to tell. */
    static boolean listening(RunningBox box, int port) {
        ExecResult r = box.exec("cat", "/proc/net/tcp", "/proc/net/tcp6");
        if (r.exitCode() == 126 || r.exitCode() == 127) {
            return true;
        }
        String hex = String.format(":%04X ", port);
        List<String> lines = new ArrayList<>(r.stdout().lines().toList());
        // local_address is the second column, st (0A: LISTEN) the fourth
        return lines.stream().map(String::trim).map(l -> l.split("\\s+")).anyMatch(f -> f.length > 3
                && (f[1] + " ").endsWith(hex) && f[3].equals("0A"));
    }

    static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
