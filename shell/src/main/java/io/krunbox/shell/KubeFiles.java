package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
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
            byte[] bytes;
            if (f.toString().equals("-")) {
                bytes = Invocation.current().stdin().readNBytes(KubeYaml.MAX_BYTES + 1);
            } else {
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException(f + " is not a file: give Kubernetes YAML");
                }
                try (java.io.InputStream in = Files.newInputStream(f)) {
                    bytes = in.readNBytes(KubeYaml.MAX_BYTES + 1);
                }
            }
            if (bytes.length > KubeYaml.MAX_BYTES) {
                throw new IllegalArgumentException(f + " is larger than " + (KubeYaml.MAX_BYTES >> 20) + " MiB");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new IllegalArgumentException(f + " is not UTF-8 text: give Kubernetes YAML");
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
