package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

/** Completion candidates and the continuation of unfinished blocks, without a terminal. */
class ReplCompleterTest {
    static List<String> complete(String line) {
        List<Candidate> out = new ArrayList<>();
        new ReplCompleter().complete(null, new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE), out);
        return out.stream().map(Candidate::value).toList();
    }

    @Test
    void commandNamesThenSubcommandsThenFlags() {
        assertThat(complete("net")).contains("network", "run", "compose", ":help", "boxes");
        assertThat(complete("network ")).contains("create", "ls", "connect", "disconnect");
        assertThat(complete("run -")).contains("--detach", "--publish", "--network", "--volume");
        assertThat(complete("compose up ")).contains("--wait", "--detach");
    }

    @Test
    void namesComeFromTheStateOfThisHome(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
        System.setProperty("krunbox.home", home.toString());
        try {
            try (BoxCommands c = new BoxCommands()) {
                c.boxes.store().create(io.krunbox.runtime.base.BoxNames.newId(), "warm-otter", "demo", "sha256:x", List.of(),
                        "sandbox", io.krunbox.runtime.model.BoxSpec.builder("demo").build());
                c.boxes.wiring().volumes().create("pgdata", List.of());
            }
            assertThat(complete("logs ")).contains("warm-otter", "pgdata");
            assertThat(complete("exec warm")).contains("warm-otter");
        } finally {
            System.clearProperty("krunbox.home");
        }
    }

    @Test
    void dslWordsAndTheMethodsOfSessionVariables() {
        assertThat(complete("bo")).contains("box", "boxes", "topology", "load", "image", "dependsOn", "healthcheck");
        io.krunbox.dsl.BoxesApi boxes = new io.krunbox.dsl.BoxesApi(); // lazy: opens nothing until used
        List<Candidate> out = new ArrayList<>();
        String line = "def b = boxes.r";
        new ReplCompleter(name -> name.equals("boxes") ? boxes : null)
                .complete(null, new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE), out);
        assertThat(out.stream().map(Candidate::value)).contains("boxes.run", "boxes.get", "boxes.list")
                .doesNotContain("boxes.wait", "boxes.hashCode");
    }

    @Test
    void filePathsAndTheServicesOfTheComposeFileNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("compose.yaml"),
                "services:\n  web:\n    image: demo\n  db:\n    image: demo\n");
        java.nio.file.Files.createDirectories(dir.resolve("conf"));
        assertThat(complete("compose -f " + dir + "/co")).contains(dir + "/compose.yaml", dir + "/conf/");
        assertThat(complete("script " + dir + "/")).contains(dir + "/compose.yaml");
        assertThat(complete("compose -f " + dir + "/compose.yaml exec ")).contains("web", "db");
    }

    @Test
    void openBlocksAndQuotesContinueOnTheNextLine() {
        assertThat(ReplParser.open("def f = { x ->")).isPositive();
        assertThat(ReplParser.open("f(1, [2, 3])")).isZero();
        assertThat(ReplParser.open("println 'a {'")).isZero();
        assertThat(ReplParser.open("println 'unclosed")).isPositive();
        assertThat(ReplParser.words("run -d --name 'a b' demo sh -c \"echo hi\"")).containsExactly("run", "-d", "--name", "a b",
                "demo", "sh", "-c", "echo hi");
    }

    @Test
    void commandsAndGroovyAreColouredAsTyped() {
        var command = new ReplHighlighter().highlight(null, "network ls -q");
        assertThat(command.styleAt(0)).isEqualTo(org.jline.utils.AttributedStyle.BOLD.foreground(org.jline.utils.AttributedStyle.BLUE));
        assertThat(command.styleAt(11)).isNotEqualTo(command.styleAt(8)); // the flag differs from the word before it
        var groovy = new ReplHighlighter().highlight(null, "def x = 'text'");
        assertThat(groovy.styleAt(0)).isNotEqualTo(org.jline.utils.AttributedStyle.DEFAULT);
        assertThat(groovy.styleAt(9)).isNotEqualTo(groovy.styleAt(4));
        assertThat(groovy.toString()).isEqualTo("def x = 'text'");
    }
}
