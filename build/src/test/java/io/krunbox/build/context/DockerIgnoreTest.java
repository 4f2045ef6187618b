package io.krunbox.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerIgnoreTest {
    @Test
    void patternsDoubleStarsAndExceptionsAsDockerReadsThem() {
        DockerIgnore i = DockerIgnore.parse("""
                # comment
                *.log
                **/*.tmp
                build/
                /secrets/*
                !secrets/public.pem
                ./docs/../notes?.txt
                """);
        assertThat(i.excludes("app.log")).isTrue();
        assertThat(i.excludes("src/app.log")).isFalse(); // *.log is for the top directory only
        assertThat(i.excludes("a/b/c.tmp")).isTrue();
        assertThat(i.excludes("c.tmp")).isTrue();
        assertThat(i.excludes("build/out/x")).isTrue();
        assertThat(i.excludes("secrets/key")).isTrue();
        assertThat(i.excludes("secrets/public.pem")).isFalse();
        assertThat(i.excludes("notes1.txt")).isTrue();
        assertThat(i.excludes("src/main.c")).isFalse();
    }

    @Test
    void repeatedDoubleStarsMeanOneAndDoNotBacktrackWithoutEnd() {
        DockerIgnore i = DockerIgnore.parse("**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/*.tmp\n");
        assertThat(i.excludes("a/b/c.tmp")).isTrue();
        assertThat(i.excludes("a/".repeat(40) + "file.txt")).isFalse(); // answered at once, not after exponential work
    }

    @Test
    void aContextResolvesSourcesInsideItOnly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a");
        Files.writeString(dir.resolve("skip.log"), "s");
        Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(dir.resolve("src/sub/x.c"), "x");
        Files.createSymbolicLink(dir.resolve("out"), Path.of("/etc"));
        Files.writeString(dir.resolve(".dockerignore"), "*.log\n");
        BuildContext c = BuildContext.open(dir, dir.resolve("Dockerfile"));
        assertThat(c.resolve("src")).extracting(BuildContext.Source::rel).containsExactly("", "sub", "sub/x.c");
        assertThat(c.resolve("*.txt")).extracting(BuildContext.Source::rel).containsExactly("a.txt");
        assertThatThrownBy(() -> c.resolve("../x")).hasMessageContaining("outside the build context");
        assertThatThrownBy(() -> c.resolve("skip.log")).hasMessageContaining("excluded by .dockerignore");
        assertThatThrownBy(() -> c.resolve("missing")).hasMessageContaining("is not in the build context");
        // a link is a link: what it points at outside the context is never read
        assertThat(c.resolve("out")).hasSize(1);
        assertThat(Files.isSymbolicLink(c.resolve("out").get(0).path())).isTrue();
        assertThat(BuildContext.digest(c.resolve("src"))).isNotEqualTo(BuildContext.digest(c.resolve("a.txt")));
        // a path through a link of the context would leave it: refused, whatever the link points at
        assertThatThrownBy(() -> c.resolve("out/passwd")).hasMessageContaining("goes through the link out");
        assertThatThrownBy(() -> c.stage("out/passwd", dir.resolve("staged"))).hasMessageContaining("goes through the link");
    }
}
