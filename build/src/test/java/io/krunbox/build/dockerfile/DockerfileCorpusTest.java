package io.krunbox.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Dockerfile of the corpus (src/test/resources/dockerfiles) reads into its golden parsed
 * form ({@code .parsed}) or fails with its golden {@code Dockerfile:LINE:COL} error ({@code .error}).
 * -Dgolden.update=true rewrites them; read the diff before committing it.
 */
class DockerfileCorpusTest {
    static final Path DIR = Path.of("src/test/resources/dockerfiles");

    static Stream<String> corpus() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".Dockerfile"))
                    .map(n -> n.substring(0, n.length() - ".Dockerfile".length())).sorted().toList().stream();
        }
    }

    static String describe(Stages s) {
        StringBuilder b = new StringBuilder();
        b.append("escape ").append(s.parsed().escape()).append(" syntax ").append(s.parsed().syntax()).append('\n');
        for (Instruction in : s.globalArgs()) {
            b.append("global ").append(in.describe()).append('\n');
        }
        for (Stages.Stage st : s.stages()) {
            b.append("stage ").append(st.index()).append(" name ").append(st.name()).append(" base ").append(st.base())
                    .append(" platform ").append(st.platform()).append('\n');
            for (Instruction in : st.body()) {
                b.append("  ").append(in.describe()).append('\n');
            }
        }
        return b.toString();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void readsAsItsGoldenFileSays(String name) throws IOException {
        String text = Files.readString(DIR.resolve(name + ".Dockerfile"));
        String actual;
        String ext;
        try {
            actual = describe(Stages.of(DockerfileParser.parse("Dockerfile", text)));
            ext = ".parsed";
        } catch (DockerfileException e) {
            actual = e.getMessage() + "\n";
            ext = ".error";
        }
        Path golden = DIR.resolve(name + ext);
        if (Boolean.getBoolean("golden.update")) {
            for (String other : List.of(".parsed", ".error")) {
                Files.deleteIfExists(DIR.resolve(name + other));
            }
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("golden file of " + name).exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }
}
