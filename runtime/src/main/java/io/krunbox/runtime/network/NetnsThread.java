package io.krunbox.runtime.network;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.linux.Errno;
import io.krunbox.runtime.linux.Sys;
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
                    try {
                        Sys.enterNetworkNamespace(HostNet.path(netns));
                    } catch (Errno e) {
                        throw new IOException("cannot enter network namespace " + netns + " (errno " + e.code() + ")");
                    }
                    return null;
                }, "enter network namespace " + netns);
            } catch (IOException e) {
                thread.shutdownNow();
                throw new BoxException(e.getMessage());
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
