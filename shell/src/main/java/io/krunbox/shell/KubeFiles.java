package io.krunbox.shell;

import io.krunbox.kube.KubeYaml;
import io.krunbox.kube.play.KubeTopology;
import io.krunbox.kube.play.PlayOptions;
import io.krunbox.runtime.model.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Kubernetes YAML files of {@code kube play} and {@code kube down}, read (bounded, strictly) into one Topology. */
final class KubeFiles {
    private KubeFiles() {}

    static Topology topology(List<Path> files, PlayOptions options, java.io.PrintStream warnings) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("give the Kubernetes YAML file(s) to run");
        }
        List<KubeYaml.Document> docs = new ArrayList<>();
        for (Path f : files) {
            String text;
            if (f.toString().equals("-")) {
                byte[] in = System.in.readNBytes(KubeYaml.MAX_BYTES + 1);
                text = new String(in, StandardCharsets.UTF_8);
            } else {
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException(f + " is not a file: give Kubernetes YAML");
                }
                if (Files.size(f) > KubeYaml.MAX_BYTES) {
                    throw new IllegalArgumentException(f + " is larger than " + (KubeYaml.MAX_BYTES >> 20) + " MiB");
                }
                text = Files.readString(f, StandardCharsets.UTF_8);
            }
            docs.addAll(KubeYaml.read(text, f.toString()));
        }
        String base = files.get(0).getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        KubeTopology k = new KubeTopology(options);
        Topology t = k.compile(docs, base.equals("-") ? "kube" : base);
        k.warnings().forEach(w -> warnings.println("krunbox: " + w));
        return t;
    }
}
