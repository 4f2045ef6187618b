package io.krunbox.build.exec;

import io.krunbox.oci.ImageReference;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to build: the Dockerfile (its name for messages and its text), the context directory
 * (null when the Dockerfile came on stdin with no context), the tags, build args, target stage,
 * labels, secrets, the network RUN gets ({@code none} or {@code default}), the isolation of the
 * boxes RUN runs in (null: the runtime's choice), and where progress goes.
 */
public record BuildRequest(String dockerfileName, String dockerfile, Path context, List<ImageReference> tags,
                           Map<String, String> buildArgs, String target, boolean noCache, boolean pull, String platform,
                           Map<String, String> labels, Map<String, Path> secrets, String network, String progress,
                           String isolation, PrintStream out) {
    public BuildRequest {
        tags = List.copyOf(tags);
        buildArgs = Map.copyOf(buildArgs);
        labels = Map.copyOf(labels);
        secrets = Map.copyOf(secrets);
        network = network == null ? "default" : network;
        progress = progress == null ? "auto" : progress;
        if (!network.equals("none") && !network.equals("default") && !network.equals("host")) {
            throw new IllegalArgumentException("--network " + network + " is not a build network: use none or default");
        }
    }

    public boolean quiet() {
        return progress.equals("quiet");
    }
}
