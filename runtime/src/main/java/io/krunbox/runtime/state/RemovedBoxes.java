package io.krunbox.runtime.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.ImageJson;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What stays of a box run with {@code --rm}: its log and how it ended, under
 * {@code removed/<id>/}, until {@code prune}. The box itself, its name and its rootfs are gone.
 */
public final class RemovedBoxes {
    public static final String DIR = "removed";

    private RemovedBoxes() {}

    /** A removed box: its log file and its end. */
    public record Removed(String id, String name, Integer exitCode, String reason, Path log) {}

    /** Keeps the log and the end of a box that is being removed. */
    public static void keep(KrunboxHome home, String id, String name, Integer exitCode, String reason) {
        Path from = home.box(id).resolve("logs/console.log");
        Path dir = home.root().resolve(DIR).resolve(id);
        try {
            Files.createDirectories(dir);
            if (Files.exists(from)) {
                Files.move(from, dir.resolve("console.log"), StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectNode o = ImageJson.JSON.createObjectNode().put("id", id).put("name", name)
                    .put("reason", reason).put("removedAt", Instant.now().toString());
            if (exitCode != null) {
                o.put("exitCode", exitCode);
            }
            Files.write(dir.resolve("box.json"), ImageJson.JSON.writeValueAsBytes(o));
        } catch (IOException e) {
            // the box goes anyway; only its log is lost
        }
    }

    public static void keep(KrunboxHome home, BoxRecord b) {
        keep(home, b.id(), b.name(), b.exitCode(), b.reason());
    }

    /** The most recently removed box with this name, id or id prefix. */
    public static Optional<Removed> find(KrunboxHome home, String idOrName) {
        Path dir = home.root().resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Removed best = null;
        String bestAt = "";
        try (Stream<Path> all = Files.list(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                JsonNode o = ImageJson.JSON.readTree(p.resolve("box.json").toFile());
                String id = o.path("id").asText();
                boolean match = o.path("name").asText().equals(idOrName) || id.equals(idOrName)
                        || (idOrName.matches("[0-9a-f]{4,63}") && id.startsWith(idOrName));
                String at = o.path("removedAt").asText();
                if (match && at.compareTo(bestAt) > 0) {
                    bestAt = at;
                    best = new Removed(id, o.path("name").asText(), o.has("exitCode") ? o.path("exitCode").asInt() : null,
                            o.path("reason").asText(null), p.resolve("console.log"));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(best);
    }
}
