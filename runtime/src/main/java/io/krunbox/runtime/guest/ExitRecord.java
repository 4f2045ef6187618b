package io.krunbox.runtime.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code /.krunbox/exit}, written and fsynced by guest-init when the workload ends. */
public record ExitRecord(int code, int signal, String reason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Optional<ExitRecord> readFrom(Path rootfs) {
        Path file = rootfs.resolve(".krunbox/exit");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return Optional.of(new ExitRecord(n.path("code").asInt(125), n.path("signal").asInt(0),
                    n.path("reason").asText("")));
        } catch (IOException e) {
            return Optional.of(new ExitRecord(125, 0, "unreadable exit record " + file + ": " + e.getMessage()));
        }
    }
}
