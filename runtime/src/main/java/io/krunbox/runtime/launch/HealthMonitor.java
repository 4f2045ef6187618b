package io.krunbox.runtime.launch;

import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.state.BoxStore;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a box's health check through its exec socket, as its supervisor: {@code starting}
 * until the first success, {@code healthy} after one, {@code unhealthy} after
 * {@code retries} failures in a row (failures in the start period do not count).
 */
public final class HealthMonitor implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stopped;

    /** {@code request}: the check's command as the box's own processes run it (its env, workdir and user). */
    HealthMonitor(BoxStore store, String id, HealthCheck check, Path execSocket, ExecRequest request) {
        thread = new Thread(() -> loop(store, id, check, execSocket, request), "krunbox-health");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(BoxStore store, String id, HealthCheck check, Path socket, ExecRequest request) {
        long started = System.nanoTime();
        String status = "starting";
        int streak = 0;
        store.health(id, status, 0);
        while (!stopped) {
            try {
                Thread.sleep(check.interval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) {
                return;
            }
            if (probe(check, socket, request)) {
                streak = 0;
                status = "healthy";
            } else {
                streak++;
                boolean starting = System.nanoTime() - started < check.startPeriod().toNanos();
                if (!starting && streak >= check.retries()) {
                    status = "unhealthy";
                }
            }
            store.health(id, status, streak);
        }
    }

    /** One run of the check: exit 0 within the timeout is a success. */
    public static boolean probe(HealthCheck check, Path socket, ExecRequest request) {
        try (ExecSession s = ExecSession.open(socket, request)) {
            s.closeStdin();
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.relay(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    return -1;
                }
            });
            return code.get(check.timeout().toMillis(), TimeUnit.MILLISECONDS) == 0;
        } catch (Exception e) {
            return false; // unreachable, timed out or failed: the closed session ends the command in the box
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
