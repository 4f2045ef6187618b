package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.oci.Digest;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox history IMAGE}: the image's history, newest first, as {@code docker history} prints it. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show an image's history, newest first.")
public final class HistoryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Option(names = "--no-trunc", description = "Do not shorten the commands.")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only the image ids.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "json", description = "json: the history entries as a JSON array.")
    String format;

    @Mixin ImageOptions options;

    @Override
    public Integer call() throws Exception {
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            ImageStore.Record r = images.find(image).orElseThrow(() -> new IllegalArgumentException("no image \"" + image
                    + "\" here: pull or build it first"));
            JsonNode manifest = ImageJson.parse(Files.readAllBytes(images.blobs().path(r.manifestDigest())), "manifest");
            JsonNode config = ImageJson.parse(Files.readAllBytes(images.blobs().path(
                    Digest.parse(manifest.path("config").path("digest").asText()))), "config");
            List<JsonNode> history = new ArrayList<>();
            config.path("history").forEach(history::add);
            JsonNode layers = manifest.path("layers");
            // sizes: each entry that made a layer gets the next layer's size
            // (an image whose history is shorter than its layers, such as one imported, is matched from the top)
            List<Long> sizes = new ArrayList<>();
            long made = history.stream().filter(h -> !h.path("empty_layer").asBoolean(false)).count();
            int layer = (int) Math.max(0, layers.size() - made);
            for (JsonNode h : history) {
                boolean empty = h.path("empty_layer").asBoolean(false);
                sizes.add(empty || layer >= layers.size() ? 0L : layers.get(layer++).path("size").asLong());
            }
            if ("json".equals(format)) {
                Invocation.current().out().println(ImageJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config.path("history")));
                return 0;
            }
            Table t = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
            for (int i = history.size() - 1; i >= 0; i--) {
                JsonNode h = history.get(i);
                String id = i == history.size() - 1 ? r.shortId() : "<missing>";
                if (quiet) {
                    Invocation.current().out().println(id);
                    continue;
                }
                String by = h.path("created_by").asText("");
                if (!noTrunc && by.length() > 45) {
                    by = by.substring(0, 44) + "…";
                }
                t.row(id, h.hasNonNull("created") ? Ages.ago(h.get("created").asText()) : "", by,
                        PullProgress.size(sizes.get(i)), h.path("comment").asText(""));
            }
            if (!quiet) {
                t.print(new java.io.PrintWriter(Invocation.current().out(), true));
            }
        }
        return 0;
    }
}
