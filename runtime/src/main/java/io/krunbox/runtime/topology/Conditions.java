package io.krunbox.runtime.topology;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.state.BoxLookup;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;

/** Waiting for a box to meet a depends_on condition: running, healthy, or exited with 0. */
public final class Conditions {
    private Conditions() {}

    public static void await(BoxLookup boxes, String box, Topology.Condition condition, long deadlineNanos) {
        for (;;) {
            BoxRecord b = boxes.get(box);
            switch (condition) {
                case STARTED -> {
                    if ((b.status() == BoxStatus.RUNNING) || !b.status().active() && b.exitCode() != null) {
                        return;
                    }
                }
                case HEALTHY -> {
                    if ((b.status() == BoxStatus.RUNNING) && "healthy".equals(b.health())) {
                        return;
                    }
                    if (!b.status().active() && !(b.status() == BoxStatus.CREATED)) {
                        throw new BoxException("box " + box + " ended (" + b.status() + ", exit " + b.exitCode()
                                + ") before it was healthy");
                    }
                    if ("unhealthy".equals(b.health())) {
                        throw new BoxException("box " + box + " is unhealthy");
                    }
                }
                case COMPLETED_SUCCESSFULLY -> {
                    if (!b.status().active() && b.exitCode() != null) {
                        if (b.exitCode() == 0) {
                            return;
                        }
                        throw new BoxException("box " + box + " exited with " + b.exitCode() + ", not 0");
                    }
                }
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new BoxException("box " + box + " was not " + condition.toString().toLowerCase(java.util.Locale.ROOT)
                        .replace('_', ' ') + " in time");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BoxException("interrupted while waiting for " + box);
            }
        }
    }
}
