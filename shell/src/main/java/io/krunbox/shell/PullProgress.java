package io.krunbox.shell;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.registry.PullListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pull progress. On a terminal: one line per layer (bytes, rate, ETA), redrawn in place.
 * Elsewhere: one line per layer state change, as Docker prints into a pipe.
 */
final class PullProgress implements PullListener {
    private final PrintWriter out;
    private final boolean tty;
    private final Map<Descriptor, Row> rows = new LinkedHashMap<>();
    private long lastDraw;
    private int drawn;

    PullProgress(PrintWriter out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    private static final class Row {
        String status = "Waiting";
        long done;
        long started;
    }

    @Override
    public synchronized void resolved(String reference, String digest, int layers) {
        out.println("Pulling from " + reference);
        out.flush();
    }

    @Override
    public synchronized void status(Descriptor layer, String status) {
        Row r = rows.computeIfAbsent(layer, k -> new Row());
        r.status = status;
        if (status.equals("Downloading")) {
            r.started = System.nanoTime();
        }
        if (tty) {
            draw(true);
        } else if (!status.equals("Downloading") && !status.equals("Extracting")) {
            out.println(layer.digest().shortHex() + ": " + status);
            out.flush();
        }
    }

    @Override
    public synchronized void progress(Descriptor layer, long done) {
        rows.computeIfAbsent(layer, k -> new Row()).done = done;
        if (tty) {
            draw(false);
        }
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        if (drawn > 0) {
            out.print("\033[" + drawn + "A");
        }
        for (var e : rows.entrySet()) {
            out.print("\033[2K" + line(e.getKey(), e.getValue(), now) + "\n");
        }
        drawn = rows.size();
        out.flush();
    }

    static String line(Descriptor d, Row r, long now) {
        String head = d.digest().shortHex() + ": " + r.status;
        if (!r.status.equals("Downloading") || d.size() <= 0) {
            return head;
        }
        double secs = Math.max(0.001, (now - r.started) / 1e9);
        double rate = r.done / secs;
        int width = 30;
        int filled = (int) Math.min(width, width * r.done / d.size());
        String eta = rate > 0 ? String.format("%ds", (long) ((d.size() - r.done) / rate)) : "--";
        return String.format("%s [%s>%s] %s/%s %s/s ETA %s", head, "=".repeat(filled), " ".repeat(width - filled),
                size(r.done), size(d.size()), size((long) rate), eta);
    }

    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + "B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, units[i]);
    }
}
