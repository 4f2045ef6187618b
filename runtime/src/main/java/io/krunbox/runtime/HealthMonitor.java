package io.krunbox.runtime;

import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.state.BoxStore;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a box's health check through its exec socket, as its supervisor: {@code starting}
 * until the first success, {@code healthy} after one, {@code unhealthy} after
 * {@code retries} failures in a row (failures in the start period do not count).
 */
final class HealthMonitor implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stopped;

    HealthMonitor(BoxStore store, String id, HealthCheck check, Path execSocket, Path boxConfig) {
        thread = new Thread(() -> loop(store, id, check, execSocket, boxConfig), "krunbox-health");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(BoxStore store, String id, HealthCheck check, Path socket, Path boxConfig) {
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
            if (probe(check, socket, boxConfig)) {
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

    /** One run of the check, as the box's own processes run: exit 0 within the timeout is a success. */
    static boolean probe(HealthCheck check, Path socket, Path boxConfig) {
        try (ExecSession s = ExecSession.open(socket, ExecRequest.asBox(boxConfig, check.test(), List.of(), null, null,
                false))) {
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
