package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox image inspect}: a JSON array describing images, as Docker prints it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show details of images as JSON.", "Exit status 1 when an image is not found."})
public final class ImageInspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> targets;

    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ArrayNode result = json.createArrayNode();
        int status = 0;
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            for (String target : targets) {
                ImageStore.Record r = images.find(target).orElse(null);
                if (r == null) {
                    spec.commandLine().getErr().println("Error: no such image: " + target);
                    status = 1;
                    continue;
                }
                JsonNode manifest = json.readTree(Files.readAllBytes(images.blobs().path(r.manifestDigest())));
                Descriptor configDesc = ImageJson.descriptor(manifest.path("config"), target);
                JsonNode config = json.readTree(Files.readAllBytes(images.blobs().path(configDesc.digest())));
                ObjectNode o = result.addObject();
                o.put("Id", r.id().toString());
                ArrayNode tags = o.putArray("RepoTags");
                r.tags().forEach(t -> tags.add(ImageReference.parse(t).familiarTagged()));
                ArrayNode digests = o.putArray("RepoDigests");
                if (r.repoDigest() != null) {
                    digests.add(r.repoDigest());
                }
                o.put("Created", r.created());
                o.put("Architecture", config.path("architecture").asText());
                o.put("Os", config.path("os").asText());
                o.put("Size", r.size());
                o.put("ManifestDigest", r.manifestDigest().toString());
                o.set("Config", config.path("config"));
                ObjectNode rootfs = o.putObject("RootFS").put("Type", "layers");
                rootfs.set("Layers", config.path("rootfs").path("diff_ids"));
            }
        }
        spec.commandLine().getOut().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        spec.commandLine().getOut().flush();
        return status;
    }
}
