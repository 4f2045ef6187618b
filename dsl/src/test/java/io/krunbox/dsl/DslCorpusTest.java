package io.krunbox.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.krunbox.compose.Compose;
import io.krunbox.compose.convert.TopologyCompiler;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.runtime.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripts compile to their golden compose model; broken scripts fail with their error
 * (line included); each script under pairs/ compiles to a Topology equal to its compose twin.
 * -Dgolden.update=true rewrites the golden files of scripts/.
 */
class DslCorpusTest {
    static final Path ROOT = Path.of("src/test/resources").toAbsolutePath();

    static Stream<String> names(String dir, String ext) throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ext))
                    .map(n -> n.substring(0, n.length() - ext.length())).sorted().toList().stream();
        }
    }

    static Stream<String> scripts() throws IOException {
        return names("scripts", ".groovy");
    }

    static Stream<String> broken() throws IOException {
        return names("broken", ".groovy");
    }

    static Stream<String> pairs() throws IOException {
        return names("pairs", ".groovy");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void scriptCompilesToItsGoldenModel(String name) throws IOException {
        Path script = ROOT.resolve("scripts").resolve(name + ".groovy");
        List<TopologyDsl> ts = DslRunner.run(script, List.of());
        assertThat(ts).hasSize(1);
        String actual = ts.get(0).toCompose().replace(ROOT.toString(), "{root}");
        Path golden = Path.of("src/test/resources/scripts", name + ".expected.yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
        assertThat(ts.get(0).compile().services()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenScriptFailsWithItsError(String name) throws IOException {
        Path script = ROOT.resolve("broken").resolve(name + ".groovy");
        Throwable t = catchThrowable(() -> DslRunner.run(script, List.of()).forEach(TopologyDsl::compile));
        assertThat(t).as(name).isNotNull();
        assertThat(t.getMessage().replace(ROOT.resolve("broken") + "/", ""))
                .contains(Files.readString(ROOT.resolve("broken").resolve(name + ".error")).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void scriptAndComposeFileCompileToEqualTopologies(String name) {
        Topology dsl = DslRunner.run(ROOT.resolve("pairs").resolve(name + ".groovy"), List.of()).get(0).compile();
        Topology compose = TopologyCompiler.compile(Compose.normalize(new LoadOptions(
                List.of(ROOT.resolve("pairs").resolve(name + ".yaml")), null, null, List.of(), List.of(), false, Map.of(),
                ROOT.resolve("pairs"))));
        assertThat(dsl).isEqualTo(compose);
    }

    /** compose → DSL text → Topology equals compose → Topology, for every pair and fixture project that has no files beside it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void aComposeFileConvertedToDslCompilesToTheSameTopology(String name) throws IOException {
        LoadOptions o = new LoadOptions(List.of(ROOT.resolve("pairs").resolve(name + ".yaml")), null, null, List.of(),
                List.of(), false, Map.of(), ROOT.resolve("pairs"));
        var normalized = Compose.normalize(o);
        String dsl = DslWriter.write(normalized.model());
        Path script = ROOT.resolve("pairs").resolve(name + ".converted.groovy");
        Topology fromDsl = DslRunner.run(script, dsl, List.of()).get(0).compile();
        assertThat(fromDsl).as(dsl).isEqualTo(TopologyCompiler.compile(normalized));
    }
}
