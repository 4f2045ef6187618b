package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.compose.convert.Normalizer;
import io.krunbox.kube.KubeYaml;
import io.krunbox.kube.generate.GenerateOptions;
import io.krunbox.kube.generate.KubeGenerator;
import io.krunbox.kube.generate.Loss;
import io.krunbox.runtime.image.ImageResolver;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.model.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kube generate}: a compose project or DSL topology as Kubernetes YAML, with every loss named on stderr. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = {
        "Write Kubernetes YAML for a compose project or DSL topology: a workload per service, Services for its ports",
        "and aliases, PersistentVolumeClaims, ConfigMaps and Secrets. What Kubernetes cannot express is listed on",
        "stderr and in each workload's krunbox.io/not-expressed annotation."})
public final class KubeGenerateCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "A compose file or DSL script (repeatable; default: compose.yaml here or above).")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "The project name.")
    String project;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "Enable a profile (repeatable).")
    List<String> profiles = new ArrayList<>();

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "deployment (default), statefulset, pod, daemonset or job.")
    String type = "deployment";

    @Option(names = "--runtime-class", paramLabel = "NAME", description = "The pods' runtimeClassName (e.g. kata-qemu).")
    String runtimeClass;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The namespace of every object.")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the YAML here instead of stdout.")
    Path output;

    @Option(names = "--scale", paramLabel = "SERVICE=N", description = "Replicas of a service, over deploy.replicas (repeatable).")
    List<String> scale = new ArrayList<>();

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Only these services (default: all).")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ComposeCommand compose = new ComposeCommand();
        compose.files = files;
        compose.project = project;
        compose.profiles = profiles;
        Normalizer.Normalized n = compose.normalized();
        Topology t = scaled(io.krunbox.compose.convert.TopologyCompiler.compile(n));
        GenerateOptions options = new GenerateOptions(GenerateOptions.WorkloadType.parse(type), runtimeClass, namespace,
                services);
        KubeGenerator.Result r;
        try (Krunbox krunbox = Krunbox.open()) {
            Images images = krunbox.images();
            r = new KubeGenerator(options, s -> exposed(n, t, s, images))
                    .withEnvFiles(s -> n.envFiles().getOrDefault(s, Map.of())).generate(t);
        }
        for (Loss l : r.losses()) {
            Invocation.current().err().println("krunbox: not expressed in Kubernetes: " + l);
        }
        String yaml = KubeYaml.write(r.objects());
        if (output == null) {
            Invocation.current().out().print(yaml);
        } else {
            OutputFile.write(output, out -> out.write(yaml.getBytes(StandardCharsets.UTF_8)));
        }
        return 0;
    }

    private Topology scaled(Topology t) {
        Map<String, Integer> n = new java.util.HashMap<>();
        for (String s : scale) {
            String[] kv = s.split("=", 2);
            if (kv.length != 2 || !kv[1].matches("\\d{1,4}")) {
                throw new IllegalArgumentException("--scale " + s + " is not SERVICE=N");
            }
            t.service(kv[0]);
            n.put(kv[0], Integer.parseInt(kv[1]));
        }
        List<Topology.Service> out = new ArrayList<>();
        for (Topology.Service s : t.services()) {
            out.add(!n.containsKey(s.name()) ? s : new Topology.Service(s.name(), s.template(), n.get(s.name()),
                    s.dependsOn(), s.containerName(), s.secrets()));
        }
        return new Topology(t.project(), out, t.networks(), t.volumes(), t.secrets());
    }

    /** A service's ports beyond its published ones: its compose {@code expose:} and its image's, when the image is here. */
    @SuppressWarnings("unchecked")
    private static List<String> exposed(Normalizer.Normalized n, Topology t, String service, Images images) {
        Set<String> out = new LinkedHashSet<>();
        Object s = ((Map<String, Object>) n.model().getOrDefault("services", Map.of())).get(service);
        if (s instanceof Map<?, ?> m && m.get("expose") instanceof List<?> l) {
            l.forEach(p -> out.add(String.valueOf(p)));
        }
        String image = t.service(service).template().image();
        try {
            if (ImageResolver.isLocal(image)) {
                out.addAll(ImageResolver.fromEnvironment().resolve(image).config().exposedPorts());
            } else {
                images.find(image).ifPresent(rec -> out.addAll(images.image(rec, image).config().exposedPorts()));
            }
        } catch (RuntimeException notHere) {
            // an image that is not here adds no ports; the loss list says so when the service ends up with none
        }
        return new ArrayList<>(out);
    }
}
