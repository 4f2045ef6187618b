package io.krunbox.runtime.network;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A thread living in a named network namespace ({@code setns(2)} is per thread), so the
 * sockets it creates belong there; with no name, the process's own namespace.
 */
final class NetnsThread implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    interface LibC extends Library {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    interface IoCall<T> {
        T call() throws IOException;
    }

    private final ExecutorService thread;

    NetnsThread(String netns) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + (netns == null ? "host" : netns));
            t.setDaemon(true);
            return t;
        });
        if (netns != null) {
            try {
                call(() -> {
                    LibC c = Native.load("c", LibC.class);
                    int fd = c.open(HostNet.path(netns).toString(), O_RDONLY_CLOEXEC);
                    if (fd < 0 || c.setns(fd, CLONE_NEWNET) != 0) {
                        throw new IOException("cannot enter network namespace " + netns + " (errno " + Native.getLastError() + ")");
                    }
                    c.close(fd);
                    return null;
                }, "enter network namespace " + netns);
            } catch (IOException e) {
                thread.shutdownNow();
                throw new io.krunbox.runtime.BoxException(e.getMessage());
            }
        }
    }

    <T> T call(IoCall<T> work, String what) throws IOException {
        Future<T> f = thread.submit((Callable<T>) work::call);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? new IOException(what + ": " + io.getMessage(), io)
                    : new IOException(what + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + what);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
