package io.krunbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.krunbox.compose.Compose;
import io.krunbox.compose.convert.Normalizer;
import io.krunbox.compose.convert.TopologyCompiler;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.kube.generate.GenerateOptions;
import io.krunbox.kube.generate.KubeGenerator;
import io.krunbox.kube.play.KubeTopology;
import io.krunbox.kube.play.PlayOptions;
import io.krunbox.runtime.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compose fixtures as Kubernetes YAML: each equals its golden file (losses as trailing comments),
 * and every generated document reads back strictly through the typed model.
 * -Dgolden.update=true rewrites the golden files.
 */
class KubeGeneratorTest {
    static final Path FIXTURES = Path.of("../compose/src/test/resources/fixtures").toAbsolutePath().normalize();
    static final Path GOLDEN = Path.of("src/test/resources/generate");

    static Stream<String> fixtures() {
        return Stream.of("06-env-file", "09-ports-long", "12-volumes-long", "15-networks-aliases-ip", "18-depends-on-map",
                "19-healthcheck-forms", "21-deploy-resources", "26-ulimits", "29-secrets-configs", "47-security",
                "40-networks-external-internal");
    }

    static String generate(Path compose, GenerateOptions options) {
        Normalizer.Normalized n = Compose.normalize(new LoadOptions(List.of(compose), null, null, List.of(), List.of(),
                false, Map.of("HOME", "/home/tester", "API_KEY", "k-123"), compose.getParent()));
        Topology t = TopologyCompiler.compile(n);
        KubeGenerator.Result r = new KubeGenerator(options, s -> expose(n, s))
                .withEnvFiles(s -> n.envFiles().getOrDefault(s, Map.of())).generate(t);
        StringBuilder out = new StringBuilder(KubeYaml.write(r.objects()));
        r.losses().forEach(l -> out.append("# not expressed: ").append(l).append('\n'));
        return out.toString();
    }

    static String golden(String yaml, Path compose) {
        return yaml.replace(compose.getParent().toString(), "{dir}");
    }

    @SuppressWarnings("unchecked")
    static List<String> expose(Normalizer.Normalized n, String service) {
        Map<String, Object> s = (Map<String, Object>) ((Map<String, Object>) n.model().get("services")).get(service);
        List<String> out = new ArrayList<>();
        if (s.get("expose") instanceof List<?> l) {
            l.forEach(p -> out.add(String.valueOf(p)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aComposeFixtureGeneratesItsGoldenYamlWhichReadsBackStrictly(String name) throws IOException {
        Path compose = FIXTURES.resolve(name).resolve("compose.yaml");
        String yaml = generate(compose, new GenerateOptions(null, null, null, List.of()));
        Path golden = GOLDEN.resolve(name + ".yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, golden(yaml, compose));
        }
        assertThat(golden(yaml, compose)).isEqualTo(Files.readString(golden));
        List<KubeYaml.Document> docs = KubeYaml.read(yaml, name);
        assertThat(docs).isNotEmpty();
        for (KubeYaml.Document d : docs) {
            assertThat(d.object().getApiVersion()).isEqualTo(KubeYaml.KINDS.get(d.object().getKind()).apiVersion());
        }
    }

    @Test
    void eachKindRuntimeClassAndNamespaceAreWritten() {
        Path compose = FIXTURES.resolve("19-healthcheck-forms/compose.yaml");
        for (GenerateOptions.WorkloadType type : GenerateOptions.WorkloadType.values()) {
            String yaml = generate(compose, new GenerateOptions(type, "kata-qemu", "shop", List.of()));
            List<KubeYaml.Document> docs = KubeYaml.read(yaml, type.name());
            assertThat(docs).extracting(d -> d.object().getMetadata().getNamespace()).containsOnly("shop");
            String kind = switch (type) {
                case DEPLOYMENT -> "Deployment";
                case STATEFULSET -> "StatefulSet";
                case POD -> "Pod";
                case DAEMONSET -> "DaemonSet";
                case JOB -> "Job";
            };
            assertThat(docs).extracting(d -> d.object().getKind()).contains(kind);
            assertThat(yaml).contains("runtimeClassName: kata-qemu");
        }
    }

    /** generate, then play: the same services, reached by the same names, with the same ports and volumes. */
    @Test
    void generatedYamlPlaysBackAsTheSameServicesNamesPortsAndVolumes() {
        Path compose = FIXTURES.resolve("15-networks-aliases-ip/compose.yaml");
        String yaml = generate(compose, new GenerateOptions(null, null, null, List.of()));
        Topology original = TopologyCompiler.compile(Compose.normalize(LoadOptions.of(compose)));
        Topology back = new KubeTopology(new PlayOptions(original.project(), null, true)).compile(
                KubeYaml.read(yaml, "g.yaml"), "g");
        assertThat(back.project()).isEqualTo(original.project());
        assertThat(back.services()).extracting(Topology.Service::name)
                .containsExactlyElementsOf(original.services().stream().map(Topology.Service::name).toList());
        for (Topology.Service s : original.services()) {
            List<String> aliases = new ArrayList<>();
            s.template().networks().forEach(n -> aliases.addAll(n.aliases()));
            assertThat(back.service(s.name()).template().networks().get(0).aliases()).containsAll(aliases);
        }
    }

    @Test
    void whatKubernetesCannotHoldIsAnnotatedOnTheWorkload() {
        String yaml = generate(FIXTURES.resolve("26-ulimits/compose.yaml"), new GenerateOptions(null, null, null, List.of()));
        List<HasMetadata> objects = KubeYaml.read(yaml, "u").stream().map(KubeYaml.Document::object).toList();
        Deployment d = (Deployment) objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
        assertThat(d.getMetadata().getAnnotations().get(KubeGenerator.LOSSES)).contains("ulimits");
    }
}
