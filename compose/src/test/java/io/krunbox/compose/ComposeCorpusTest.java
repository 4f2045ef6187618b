package io.krunbox.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.krunbox.compose.convert.ConfigWriter;
import io.krunbox.compose.convert.Normalizer;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.compose.yaml.ComposeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixture corpus: each directory under fixtures/ is a project whose normalized model
 * ({@code compose config}) must equal its expected.yaml; each file under malformed/ must
 * fail with the text of its .error file (file:line:column included). An {@code options}
 * file gives -f files, profiles, a project name and environment variables, one per line.
 * Set -Dgolden.update=true to rewrite expected files after a deliberate change.
 */
class ComposeCorpusTest {
    static final Path ROOT = Path.of("src/test/resources");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("fixtures"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Stream<String> malformed() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("malformed"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    static LoadOptions options(Path dir, Path defaultFile) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> profiles = new ArrayList<>();
        Map<String, String> env = new HashMap<>(Map.of("HOME", "/home/tester"));
        String project = null;
        Path options = dir.resolve("options");
        if (Files.exists(options)) {
            for (String line : Files.readAllLines(options)) {
                String[] kv = line.split(" ", 2);
                switch (kv[0]) {
                    case "-f" -> files.add(dir.resolve(kv[1]));
                    case "--profile" -> profiles.add(kv[1]);
                    case "-p" -> project = kv[1];
                    case "env" -> env.put(kv[1].substring(0, kv[1].indexOf('=')), kv[1].substring(kv[1].indexOf('=') + 1));
                    default -> { }
                }
            }
        }
        if (files.isEmpty() && defaultFile != null) {
            files.add(defaultFile);
        }
        return new LoadOptions(files, project, null, profiles, List.of(), false, env, dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureNormalizesToItsExpectedModel(String name) throws IOException {
        Path dir = ROOT.resolve("fixtures").resolve(name).toAbsolutePath();
        Normalizer.Normalized n = Compose.normalize(options(dir, null));
        StringBuilder actual = new StringBuilder(ConfigWriter.yaml(n.model()));
        for (String u : n.unhonoured()) {
            actual.append("# not honoured: ").append(u).append('\n');
        }
        for (String w : n.warnings()) {
            actual.append("# warning: ").append(w).append('\n');
        }
        String text = actual.toString().replace(dir.toString(), "{dir}");
        Path expected = dir.resolve("expected.yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/fixtures", name, "expected.yaml"), text);
        }
        assertThat(text).isEqualTo(Files.readString(expected));
        // and it compiles
        assertThat(io.krunbox.compose.convert.TopologyCompiler.compile(n).services()).isNotEmpty();
    }

    /** With --strict, an unknown key that only warned is an error at the same place; the rest of a fixture is unchanged. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void strictTurnsUnknownKeysIntoErrorsAndNothingElse(String name) throws IOException {
        Path dir = ROOT.resolve("fixtures").resolve(name).toAbsolutePath();
        LoadOptions lax = options(dir, null);
        Normalizer.Normalized n = Compose.normalize(lax);
        LoadOptions strict = new LoadOptions(lax.files(), lax.projectName(), lax.projectDirectory(), lax.profiles(),
                lax.envFiles(), true, lax.environment(), lax.workingDirectory());
        List<String> unknown = n.warnings().stream().filter(w -> w.contains(": unknown key ")).toList();
        if (unknown.isEmpty()) {
            assertThat(Compose.normalize(strict).model()).isEqualTo(n.model());
        } else {
            Throwable t = catchThrowable(() -> Compose.normalize(strict));
            assertThat(t).isInstanceOf(ComposeException.class);
            assertThat(t.getMessage()).contains(unknown.toArray(String[]::new));
        }
    }

    @Test
    void stopSignalGracePeriodAndUlimitsReachTheBox() throws IOException {
        Path dir = ROOT.resolve("fixtures").toAbsolutePath();
        io.krunbox.runtime.model.BoxSpec identity = io.krunbox.compose.convert.TopologyCompiler.compile(
                Compose.normalize(options(dir.resolve("23-identity"), null))).services().get(0).template();
        assertThat(identity.stop()).isEqualTo(new io.krunbox.runtime.model.StopPolicy("INT",
                java.time.Duration.ofSeconds(90)));
        io.krunbox.runtime.model.BoxSpec limited = io.krunbox.compose.convert.TopologyCompiler.compile(
                Compose.normalize(options(dir.resolve("26-ulimits"), null))).services().get(0).template();
        assertThat(limited.ulimits()).containsExactly(new io.krunbox.runtime.model.Ulimit("nproc", 65535, 65535),
                new io.krunbox.runtime.model.Ulimit("nofile", 20000, 40000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFileFailsWithItsError(String name) throws IOException {
        Path dir = ROOT.resolve("malformed").toAbsolutePath();
        Path file = dir.resolve(name);
        Throwable t = catchThrowable(() -> Compose.normalize(options(dir, file)));
        assertThat(t).as(name).isInstanceOf(ComposeException.class);
        String message = t.getMessage().replace(dir.toString() + "/", "");
        Path expected = dir.resolve(name.replace(".yaml", ".error"));
        if (Boolean.getBoolean("golden.update") && !Files.exists(Path.of("src/test/resources/malformed",
                name.replace(".yaml", ".error")))) {
            Files.writeString(Path.of("src/test/resources/malformed", name.replace(".yaml", ".error")), message + "\n");
        }
        assertThat(message).contains(Files.readString(expected).strip());
    }
}
