package io.krunbox.shell.server;

import io.krunbox.runtime.linux.CallSocket;
import io.krunbox.runtime.linux.Descriptors;
import io.krunbox.runtime.linux.UnixListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warm server of one user and one home: it listens on a unix socket in the user's 0700
 * directory, takes each client's call with the client's stdio (SCM_RIGHTS), refuses any other
 * uid (SO_PEERCRED), tells a client of another build to start its own, and exits when idle.
 * Boxes never depend on it: it holds no state but what state.db holds.
 */
public final class CallServer {
    /** What runs a call: krunbox's command line, in the call's {@link io.krunbox.runtime.base.Invocation}. */
    public interface Entry {
        int run(String[] argv) throws Exception;
    }

    private static volatile CallServer running;

    private final Path socketPath;
    private final Path lockFile;
    private final String identity;
    private final Duration idle;
    private final Entry entry;
    private final PrintStream log;
    private final Instant started = Instant.now();
    private final AtomicLong served = new AtomicLong();
    private final Object lock = new Object();
    private int active;
    private long lastEnd = System.nanoTime();
    private boolean retiring;
    private UnixListener listener;
    private FileLock held;

    public CallServer(Path socketPath, Path lockFile, String identity, Duration idle, Entry entry, PrintStream log) {
        this.socketPath = socketPath;
        this.lockFile = lockFile;
        this.identity = identity;
        this.idle = idle;
        this.entry = entry;
        this.log = log;
    }

    /** The server this JVM runs, if it is one. */
    public static CallServer running() {
        return running;
    }

    /** Serves until idle, stopped or replaced; returns the process's exit code. */
    public int serve() throws IOException {
        checkDirectory(socketPath.getParent());
        FileChannel lockChannel;
        try {
            // the client made the lock file; gone, the home was removed while this JVM started: nothing is made in it
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        } catch (java.nio.file.NoSuchFileException gone) {
            log.println(Instant.now() + " " + lockFile + " is gone (the home was removed): not serving");
            return 0;
        }
        held = lockChannel.tryLock();
        if (held == null) {
            log.println("another server holds " + lockFile + ": this one is not needed");
            return 0;
        }
        Files.deleteIfExists(socketPath);
        listener = UnixListener.bind(socketPath, 256);
        Files.setPosixFilePermissions(socketPath, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        running = this;
        log.println(Instant.now() + " serving " + socketPath + " (pid " + ProcessHandle.current().pid() + ", idle exit after "
                + idle + ")");
        Thread watch = new Thread(this::watchIdle, "server-idle");
        watch.setDaemon(true);
        watch.start();
        while (true) {
            CallSocket socket = listener.accept();
            synchronized (lock) {
                if (socket == null || retiring) {
                    if (socket != null) {
                        socket.close();
                    }
                    break;
                }
                active++;
            }
            long n = served.incrementAndGet();
            Thread t = new Thread(() -> connection(socket, n), "connection-" + n);
            t.setDaemon(true);
            t.start();
        }
        listener.close();
        awaitCalls();
        return 0;
    }

    private void connection(CallSocket socket, long n) {
        try {
            int peer = socket.peerUid();
            if (peer != UnixListener.uid()) {
                log.println(Instant.now() + " refused a call from uid " + peer);
                socket.write((byte) 'M', ("krunbox: the server of uid " + UnixListener.uid() + " serves only its own user\n")
                        .getBytes(StandardCharsets.UTF_8));
                ServerCall.sendExit(socket, 125);
                return;
            }
            socket.readTimeout(Duration.ofSeconds(10)); // the hello comes at once, or the call is dropped
            socket.receiveFds();
            java.util.List<Integer> fds = socket.takeFds();
            CallSocket.Frame first;
            try {
                first = socket.read();
            } catch (IOException e) {
                fds.forEach(Descriptors::closeNumber);
                throw e;
            }
            if (first.type() != ServerCall.HELLO || fds.size() != 3) {
                fds.forEach(Descriptors::closeNumber);
                throw new IOException("a call without its hello and three descriptors");
            }
            socket.readTimeout(Duration.ZERO); // from now on the client may stay quiet for as long as its call runs
            // the identity first, whatever follows it: a client of another build may say the rest another way
            if (!identity.equals(Hello.identityOf(first.payload()))) {
                fds.forEach(Descriptors::closeNumber);
                log.println(Instant.now() + " a client of another build or JVM options called: retiring");
                retire(); // first: the client's next connect must not reach this server
                socket.write(ServerCall.STALE, new byte[0]);
                return;
            }
            Hello hello;
            try {
                hello = Hello.parse(first.payload());
            } catch (IOException e) {
                fds.forEach(Descriptors::closeNumber);
                throw e;
            }
            new ServerCall(socket, hello, fds, entry).serve(n);
        } catch (IOException | RuntimeException e) {
            log.println(Instant.now() + " call " + n + ": " + e.getMessage());
        } finally {
            socket.close();
            synchronized (lock) {
                active--;
                lastEnd = System.nanoTime();
                lock.notifyAll();
            }
        }
    }

    /** Stops taking calls (a new server may start at once); this one exits when its calls end. */
    public void retire() {
        synchronized (lock) {
            if (retiring) {
                return;
            }
            retiring = true;
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException ignored) {
                // it goes with the process
            }
            if (listener != null) {
                listener.shutdown();
            }
            try {
                held.release();
            } catch (IOException ignored) {
                // released when the process ends
            }
        }
    }

    private void awaitCalls() {
        synchronized (lock) {
            while (active > 0) {
                try {
                    lock.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        log.println(Instant.now() + " exiting after " + served.get() + " calls");
    }

    private void watchIdle() {
        while (true) {
            try {
                Thread.sleep(Math.min(1000, Math.max(50, idle.toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (retiring) {
                    return;
                }
                if (!Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS)) {
                    // removed under it (a /tmp cleaner): no client can reach this server, so one may start anew
                    log.println(Instant.now() + " " + socketPath + " is gone: retiring");
                    retire();
                    return;
                }
                if (active == 0 && System.nanoTime() - lastEnd > idle.toNanos()) {
                    log.println(Instant.now() + " idle for " + idle + ": exiting");
                    retire();
                    return;
                }
            }
        }
    }

    /** What {@code krunbox server status} prints. */
    public String status() {
        synchronized (lock) {
            return "pid " + ProcessHandle.current().pid() + "\nsocket " + socketPath + "\nstarted " + started
                    + "\ncalls " + served.get() + "\nactive " + active + "\nworking " + ServerCall.WORKING.get()
                    + "\nidle-exit " + idle + "\n";
        }
    }

    public long pid() {
        return ProcessHandle.current().pid();
    }

    /** Calls connected now (the status call included). */
    public int active() {
        synchronized (lock) {
            return active;
        }
    }

    /** Calls whose command is running now. */
    public int working() {
        return ServerCall.WORKING.get();
    }

    public Path socket() {
        return socketPath;
    }

    public Instant started() {
        return started;
    }

    public long calls() {
        return served.get();
    }

    public Duration idle() {
        return idle;
    }

    /** The socket directory must be the user's own and closed to others: the client makes it so. */
    static void checkDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (owner != UnixListener.uid() || (mode & 0077) != 0) {
            throw new IOException(dir + " must be owned by uid " + UnixListener.uid() + " and closed to others (0700)");
        }
    }

    /** {@code 3h}, {@code 10m}, {@code 30s}, {@code 500ms} or seconds. */
    public static Duration parseIdle(String s) {
        if (s == null || s.isBlank()) {
            return Duration.ofHours(3);
        }
        String t = s.trim();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.replaceAll("[hms]$", ""));
            return t.endsWith("h") ? Duration.ofHours(n) : t.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("KRUNBOX_SERVER_IDLE=" + s + " is not a duration: give e.g. 3h, 10m, 30s or 500ms");
        }
    }
}
