package io.krunbox.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.compose.convert.ConfigWriter;
import io.krunbox.compose.convert.Normalizer;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.runtime.testing.Require;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code compose config} against Docker Compose's own model: every fixture of the corpus loaded by
 * compose-go (the loader Docker Compose uses, at the version scripts/compose-reference pins) and by
 * krunbox must give the same model, value for value, except where parity.txt lists a deliberate
 * difference, and every listed difference must still be there.
 */
class ComposeParityIT {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures").toAbsolutePath();

    static Stream<String> fixtures() throws IOException {
        return ComposeCorpusTest.fixtures();
    }

    /** parity.txt: {@code FIXTURE PATH: why} for a value that differs, {@code FIXTURE refused: why} for a file Compose refuses. */
    static Map<String, TreeSet<String>> listed() throws IOException {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (String line : Files.readAllLines(FIXTURES.resolveSibling("parity.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ", 3);
            out.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[1].replaceFirst(":$", ""));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theModelIsDockerComposesWhereverParityTxtSaysNothingElse(String name) throws Exception {
        Path reference = Path.of(System.getProperty("krunbox.compose.reference", "target/compose-reference"));
        Require.part("compose-reference", Files.isExecutable(reference),
                reference + " is missing: scripts/build-compose-reference.sh builds it (it needs go)");
        Path dir = FIXTURES.resolve(name);
        LoadOptions options = ComposeCorpusTest.options(dir, null);
        List<String> cmd = new ArrayList<>(List.of(reference.toString()));
        if (options.projectName() != null) {
            cmd.addAll(List.of("-p", options.projectName()));
        }
        options.profiles().forEach(p -> cmd.addAll(List.of("--profile", p)));
        if (options.files().isEmpty()) {
            cmd.add(Files.exists(dir.resolve("compose.yaml")) ? "compose.yaml" : "docker-compose.yml");
        }
        options.files().forEach(f -> cmd.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(options.environment());
        pb.environment().put("PATH", "/usr/bin:/bin");
        Process p = pb.start();
        String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String error = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        TreeSet<String> differences = new TreeSet<>();
        if (p.exitValue() != 0) {
            differences.add("refused");
        } else {
            Normalizer.Normalized ours = Compose.normalize(options);
            Yaml yaml = new Yaml();
            diff(yaml.load(ConfigWriter.yaml(ours.model())), yaml.load(theirs), "", differences);
        }
        assertThat(differences).as("%s: differences from Docker Compose's model (%s)", name, error.strip())
                .isEqualTo(listed().getOrDefault(name, new TreeSet<>()));
    }

    private static void diff(Object ours, Object theirs, String path, TreeSet<String> out) {
        if (ours instanceof Map<?, ?> a && theirs instanceof Map<?, ?> b) {
            TreeSet<String> keys = new TreeSet<>();
            a.keySet().forEach(k -> keys.add(String.valueOf(k)));
            b.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                diff(a.get(k), b.get(k), path + "." + k, out);
            }
        } else if (ours instanceof List<?> a && theirs instanceof List<?> b && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(a.get(i), b.get(i), path + "[" + i + "]", out);
            }
        } else if (ours instanceof Number a && theirs instanceof Number b) {
            if (Double.compare(a.doubleValue(), b.doubleValue()) != 0) {
                out.add(path);
            }
        } else if (ours == null ? theirs != null : !ours.equals(theirs)) {
            out.add(path);
        }
    }
}
