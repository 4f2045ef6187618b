package io.krunbox.shell.server;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.linux.CallSocket;
import io.krunbox.runtime.linux.Descriptors;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client call in the server: the command runs in a thread of its own as an {@link Invocation}
 * of the client's stdio, environment and directory, while this thread reads the client's
 * signals and window sizes. The call ends when the command returns, when it ends itself early
 * ({@link Invocation#end}), or when a signal ends it (after the hooks it set, as a process's
 * shutdown hooks run); the client then gets the exit code.
 */
final class ServerCall {
    static final byte HELLO = 'H';
    static final byte SIGNAL = 'S';
    static final byte WINDOW = 'W';
    static final byte EXIT = 'X';
    static final byte RAW = 'R';
    static final byte STALE = 'T';

    private static final int SIGHUP = 1;
    /** Calls whose command is still running, those ended early by a signal included. */
    static final java.util.concurrent.atomic.AtomicInteger WORKING = new java.util.concurrent.atomic.AtomicInteger();

    private final CallSocket socket;
    private final Hello hello;
    private final FileDescriptor in;
    private final FileDescriptor out;
    private final FileDescriptor err;
    private final CallServer.Entry entry;
    private final CompletableFuture<Integer> result = new CompletableFuture<>();
    private final CompletableFuture<Void> workerDone = new CompletableFuture<>();
    private volatile int[] size;
    private volatile Runnable resized;
    private volatile boolean signalled;

    ServerCall(CallSocket socket, Hello hello, List<Integer> fds, CallServer.Entry entry) {
        this.socket = socket;
        this.hello = hello;
        this.in = Descriptors.wrap(fds.get(0));
        this.out = Descriptors.wrap(fds.get(1));
        this.err = Descriptors.wrap(fds.get(2));
        this.entry = entry;
        this.size = new int[] {hello.rows(), hello.columns()};
    }

    /** Serves the call to its end; returns when the client has its exit code (or is gone). */
    void serve(long number) {
        boolean terminal = Descriptors.isTerminal(in) && Descriptors.isTerminal(out);
        Invocation.RemoteTerminal remote = terminal ? new Remote() : null;
        Invocation call = new Invocation(hello.env(), java.nio.file.Path.of(hello.cwd()), hello.umask(), in, out, err,
                terminal, remote, result::complete);
        WORKING.incrementAndGet();
        Thread worker = new Thread(() -> {
            try {
                int code = Invocation.callIn(call, () -> entry.run(hello.argv().toArray(String[]::new)));
                result.complete(code);
            } catch (Throwable t) {
                call.err().println("krunbox: the call failed in the server: " + t.getMessage()
                        + " (KRUNBOX_SERVER=0 runs it in a JVM of its own)");
                if (hello.env().get("KRUNBOX_DEBUG") != null) {
                    t.printStackTrace(call.err());
                }
                result.complete(125);
            } finally {
                call.flush();
                WORKING.decrementAndGet();
                workerDone.complete(null);
            }
        }, "call-" + number);
        worker.setDaemon(true);
        Thread reader = new Thread(() -> readClient(call, worker), "call-" + number + "-client");
        reader.setDaemon(true);
        reader.start();
        worker.start();
        int code = result.join();
        call.flush();
        // the caller's files are let go before the code is sent: a pipe's reader sees its end with the client's
        if (workerDone.isDone()) {
            closeAll();
        } else {
            worker.interrupt();
            Descriptors.detach(in);
            Descriptors.detach(out);
            Descriptors.detach(err);
            workerDone.whenComplete((v, t) -> closeAll());
        }
        try {
            sendExit(socket, code);
        } catch (IOException gone) {
            // the client went away: nobody waits for the code
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
            socket.shutdown(); // a client that stays connected: its reader ends before the number is let go
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }

    /** The frame that ends a call: its exit code, four bytes big-endian. */
    static void sendExit(CallSocket socket, int code) throws IOException {
        socket.write(EXIT, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    }

    private void closeAll() {
        Descriptors.close(in);
        Descriptors.close(out);
        Descriptors.close(err);
    }

    private void readClient(Invocation call, Thread worker) {
        try {
            while (true) {
                CallSocket.Frame f = socket.read();
                if (f.type() == SIGNAL && f.payload().length == 1) {
                    signal(call, worker, f.payload()[0] & 0xff);
                } else if (f.type() == WINDOW) {
                    String[] rc = new String(f.payload(), StandardCharsets.US_ASCII).trim().split(" ");
                    if (rc.length == 2) {
                        try {
                            size = new int[] {Integer.parseInt(rc[0]), Integer.parseInt(rc[1])};
                        } catch (NumberFormatException ignored) {
                            continue;
                        }
                        Runnable r = resized;
                        if (r != null) {
                            r.run();
                        }
                    }
                }
            }
        } catch (IOException gone) {
            // the client ended: after its exit code, as it should; before it, as a hangup
            if (!result.isDone()) {
                signal(call, worker, SIGHUP);
            }
        }
    }

    /** SIGINT, SIGTERM or SIGHUP for the call: its hooks run, then it ends with 128 + the signal. */
    private void signal(Invocation call, Thread worker, int signo) {
        if (signalled || result.isDone()) {
            return;
        }
        signalled = true;
        Thread ender = new Thread(() -> {
            List<Thread> hooks = call.signalHooks();
            hooks.forEach(Thread::start);
            for (Thread h : hooks) {
                try {
                    h.join(TimeUnit.SECONDS.toMillis(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            result.complete(128 + signo);
            worker.interrupt();
        }, "call-signal");
        ender.setDaemon(true);
        ender.start();
    }

    /** The client's terminal, driven by frames: the client sets raw mode on its own terminal. */
    private final class Remote implements Invocation.RemoteTerminal {
        @Override
        public void raw(boolean on) {
            try {
                socket.write(RAW, new byte[] {(byte) (on ? 1 : 0)});
            } catch (IOException gone) {
                // the client ended; its terminal is back as it was
            }
        }

        @Override
        public int[] size() {
            return size.clone();
        }

        @Override
        public void onResize(Runnable listener) {
            resized = listener;
        }
    }
}
