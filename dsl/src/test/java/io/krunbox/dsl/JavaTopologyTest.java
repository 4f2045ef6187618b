package io.krunbox.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.compose.Compose;
import io.krunbox.runtime.model.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One topology written three ways (Java builders, the Groovy DSL, a compose file) is one Topology record. */
class JavaTopologyTest {
    static final Path SCRIPTS = Path.of("src/test/resources/scripts").toAbsolutePath();

    static Topology readmeExampleInJava() {
        var t = Topology.builder("shop")
                .network("backend", n -> n.subnet("10.89.0.0/24"))
                .volume("pgdata")
                .box("db", b -> b.image("postgres-demo:1").env("POSTGRES_PASSWORD", "secret")
                        .volume("pgdata", "/var/lib/postgresql/data").network("backend", "database")
                        .resources(2, "1g")
                        .healthcheck(h -> h.exec("pg_isready").interval(Duration.ofSeconds(2)).retries(10)));
        for (int i = 0; i < 3; i++) {
            t.box("worker-" + i, b -> b.image("demo").command("sh", "-c", "sleep 3600")
                    .dependsOn("db", Topology.Condition.HEALTHY));
        }
        return t.box("web", b -> b.image("web-demo:1").ports("127.0.0.1:8080:80").network("backend")).build();
    }

    @Test
    void javaBuildersTheDslAndAComposeFileGiveEqualTopologies(@TempDir Path dir) throws Exception {
        Topology java = readmeExampleInJava();
        Topology dsl = DslRunner.run(SCRIPTS.resolve("16-the-readme-example.groovy"), List.of()).get(0).compile();
        Path compose = Files.copy(SCRIPTS.resolve("16-the-readme-example.expected.yaml"), dir.resolve("compose.yaml"));
        Topology file = Compose.load(compose);
        assertThat(java).isEqualTo(dsl).isEqualTo(file);
        assertThat(java.services()).extracting(Topology.Service::name)
                .containsExactly("db", "web", "worker-0", "worker-1", "worker-2");
        assertThat(java.service("db").template().labels().get(Topology.HASH_LABEL)).matches("[0-9a-f]{16}");
    }

    @Test
    void aChangeToOneBoxChangesItsConfigHashAlone() {
        Topology a = Topology.builder("p").box("x", b -> b.image("demo")).box("y", b -> b.image("demo")).build();
        Topology b = Topology.builder("p").box("x", x -> x.image("demo")).box("y", y -> y.image("demo").env("K", "V")).build();
        assertThat(b.service("x").template().labels()).isEqualTo(a.service("x").template().labels());
        assertThat(b.service("y").template().labels().get(Topology.HASH_LABEL))
                .isNotEqualTo(a.service("y").template().labels().get(Topology.HASH_LABEL));
    }

    @Test
    void whatTheTopologyDoesNotDefineIsRefusedByName() {
        assertThatThrownBy(() -> Topology.builder("p").box("x", b -> b.image("demo").network("nowhere")).build())
                .hasMessage("box x is on network nowhere, which the topology does not define: add .network(\"nowhere\")");
        assertThatThrownBy(() -> Topology.builder("p").box("x", b -> b.image("demo").volume("data", "/data")).build())
                .hasMessage("box x mounts volume data, which the topology does not define: add .volume(\"data\")");
        assertThatThrownBy(() -> Topology.builder("p").box("x", b -> b.image("demo").dependsOn("db")).build())
                .hasMessage("box x depends on db, which is not a box of the topology");
        assertThatThrownBy(() -> Topology.builder("Bad Name")).hasMessageContaining("project name \"Bad Name\"");
        assertThatThrownBy(() -> Topology.builder("p").box("x", b -> { }).build()).hasMessage("box x needs an image: give it one with image(\"NAME\"), or build(\"DIR\")");
    }

    /** The secrets, stop policy, ulimits and profiles a script gives are the Java builders' calls, one for one. */
    @Test
    void theRestOfTheDslIsTheJavaBuildersToo() {
        Topology java = Topology.builder("rest")
                .secret("db_password", s -> s.file(SCRIPTS.resolve("pw.txt").toString()))
                .config("app_conf", s -> s.content("debug=true"))
                .box("app", b -> b.image("demo").secret("db_password").secret("db_password", "/etc/pw")
                        .config("app_conf", "/etc/app.conf").stopSignal("SIGINT").stopGracePeriod(Duration.ofSeconds(90))
                        .ulimit("nproc", 512, 512).ulimit("nofile", 1024, 2048))
                .build();
        TopologyDsl dsl = DslRunner.run(SCRIPTS.resolve("17-secrets-and-the-rest.groovy"), List.of()).get(0);
        assertThat(dsl.compile()).isEqualTo(java);

        TopologyDsl modes = DslRunner.run(SCRIPTS.resolve("15-network-mode-profiles.groovy"), List.of()).get(0);
        var both = Topology.builder("modes").box("batch", b -> b.image("demo").noNetwork())
                .box("debug", b -> b.image("demo").profiles("debug"));
        assertThat(modes.compile()).isEqualTo(both.build());
        assertThat(modes.compile().services()).extracting(Topology.Service::name).containsExactly("batch");
        assertThat(modes.compile(List.of("debug"))).isEqualTo(both.activeProfiles("debug").build());
        assertThat(modes.compile(List.of("debug")).services()).extracting(Topology.Service::name)
                .containsExactly("batch", "debug");
    }
}
