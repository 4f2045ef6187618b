package io.krunbox.runtime.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code /.krunbox/run/exit}, written and fsynced by guest-init when the workload ends. The box
 * can write there, so the host reads it as a regular file of at most {@link #MAX_BYTES} bytes,
 * no link followed: a box can lie about its own end, never make the host read another file.
 */
public record ExitRecord(int code, int signal, String reason) {
    public static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Optional<ExitRecord> readFrom(BoxControl control) {
        return read(control, false);
    }

    /** As {@link #readFrom}, for a box whose processes have all ended (nothing can swap the file meanwhile). */
    public static Optional<ExitRecord> readAfterEnd(BoxControl control) {
        return read(control, true);
    }

    private static Optional<ExitRecord> read(BoxControl control, boolean ended) {
        Path file = control.exit();
        try {
            Optional<byte[]> bytes = ended ? io.krunbox.runtime.hostfs.IdleRoot.readBounded(file, MAX_BYTES)
                    : io.krunbox.runtime.hostfs.InRoot.readBounded(file, MAX_BYTES);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            JsonNode n = JSON.readTree(bytes.get());
            int code = n.path("code").asInt(125), signal = n.path("signal").asInt(0);
            if (code < 0 || code > 255 || signal < 0 || signal > 64) {
                return Optional.of(new ExitRecord(125, 0, "the box's exit record " + file + " holds code " + code
                        + " and signal " + signal + ", out of range"));
            }
            return Optional.of(new ExitRecord(code, signal, n.path("reason").asText("")));
        } catch (IOException e) {
            return Optional.of(new ExitRecord(125, 0, "unreadable exit record " + file + ": " + e.getMessage()));
        }
    }
}
