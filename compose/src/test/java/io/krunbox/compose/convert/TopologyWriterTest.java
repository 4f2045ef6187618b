package io.krunbox.compose.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.compose.Compose;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture project's Topology, written as a compose document and loaded again, is the same Topology. */
class TopologyWriterTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures").toAbsolutePath();
    /** Fixtures that do not compile to a Topology at all (refused on purpose). */
    static final List<String> REFUSED = List.of("45-version-warning");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !REFUSED.contains(n)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aFixtureTopologyWrittenAndLoadedAgainIsEqual(String name) throws IOException {
        Path dir = FIXTURES.resolve(name);
        LoadOptions o = io.krunbox.compose.ComposeCorpusTestAccess.options(dir);
        Topology original = TopologyCompiler.compile(Compose.normalize(o));
        Topology again = reload(original, dir);
        assertThat(again).isEqualTo(original);
    }

    static Topology reload(Topology t, Path dir) {
        Path doc = dir.resolve("written.compose.yaml");
        return TopologyCompiler.compile(Compose.normalize(new LoadOptions(List.of(doc), null, null, List.of(), List.of(),
                false, Map.of(), dir), Map.of(doc, ConfigWriter.yaml(TopologyWriter.document(t)))));
    }

    @Test
    void aJavaTopologyWithEverySettingRoundTrips() {
        Topology t = Topology.builder("all")
                .network("back", n -> n.subnet("10.91.0.0/24").gateway("10.91.0.1").internal().label("tier", "2"))
                .network("ext", n -> n.external())
                .volume("data", v -> v.label("keep", "yes"))
                .secret("pw", s -> s.content("hunter2"))
                .config("conf", s -> s.file("/etc/hostname"))
                .box("db", b -> b.image("demo").command("sleep", "1").entrypoint("/bin/sh", "-c").env("A", "1=2")
                        .workdir("/w").user("1:1").hostname("h").network("back", "10.91.0.7", List.of("database"))
                        .network("ext").ports("127.0.0.1:5432:5432", "53/udp").volume("data", "/data")
                        .volumeReadOnly("/etc", "/host-etc").tmpfs("/scratch:size=1m")
                        .healthcheck(h -> h.shell("true").retries(7).interval(java.time.Duration.ofMillis(1500)))
                        .restart("on-failure:3").resources(2, "256m").pidsLimit(50).readOnly()
                        .stopSignal("SIGINT").stopGracePeriod(java.time.Duration.ofSeconds(90)).ulimit("nofile", 10, 20)
                        .capAdd("NET_ADMIN").capDrop("MKNOD").securityOpt("no-new-privileges", "seccomp=unconfined")
                        .device("/dev/fuse").sysctl("net.ipv4.ip_forward", "1").dns("10.0.0.53")
                        .extraHost("gw", "10.0.0.1").secret("pw").secret("pw", "other").config("conf", "/etc/c")
                        .label("team", "a").replicas(2).log("max-size=2m", "max-file=2"))
                .box("job", b -> b.image("demo").noNetwork().dependsOn("db", Topology.Condition.HEALTHY)
                        .containerName("the-job").privileged())
                .build();
        assertThat(reload(t, Path.of("").toAbsolutePath())).isEqualTo(t);
    }

    @Test
    void aBoxWithItsOwnSeccompProfileIsRefusedByName() {
        Topology t = new Topology("p", List.of(new Topology.Service("x", BoxSpec.builder("demo").seccomp("{}").build(), 1,
                Map.of(), null, List.of())), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> TopologyWriter.document(t)).hasMessageContaining("box x has its own seccomp profile");
    }
}
