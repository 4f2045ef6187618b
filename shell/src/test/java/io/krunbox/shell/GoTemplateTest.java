package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GoTemplateTest {
    private static final JsonNode BOX = json("""
            {"Id": "abc", "Names": ["web"], "State": {"Status": "running", "Pid": 42},
             "Config": {"labels": {"team": "core"}, "command": ["sleep", "60"]}, "ExitCode": null}""");

    @Test
    void fieldPathsWithTextAround() {
        assertThat(new GoTemplate("{{.Id}}: {{.State.Status}} ({{.State.Pid}})").render(BOX))
                .isEqualTo("abc: running (42)");
    }

    @Test
    void namesMatchWhateverTheCaseAndListsOfValuesAreCommaSeparated() {
        assertThat(new GoTemplate("{{.ID}} {{.names}} {{.Config.command}}").render(BOX)).isEqualTo("abc web sleep,60");
    }

    @Test
    void jsonActionAndMissingValues() {
        assertThat(new GoTemplate("{{json .Config.labels}}").render(BOX)).isEqualTo("{\"team\":\"core\"}");
        assertThat(new GoTemplate("{{.Nope.Deeper}}|{{.ExitCode}}").render(BOX)).isEqualTo("<no value>|<no value>");
        assertThat(new GoTemplate("{{.State}}").render(BOX)).isEqualTo("{\"Status\":\"running\",\"Pid\":42}");
    }

    @Test
    void tabsAndHeaders() {
        GoTemplate t = new GoTemplate("{{.Names}}\\t{{.State.Status}}");
        assertThat(t.render(BOX)).isEqualTo("web\trunning");
        assertThat(t.header()).isEqualTo("NAMES\tSTATUS");
    }

    @Test
    void whatIsNotSupportedIsNamed() {
        assertThatThrownBy(() -> new GoTemplate("{{range .Names}}{{.}}{{end}}"))
                .hasMessageContaining("{{range .Names}} is not supported").hasMessageContaining("{{json .Field.Path}}");
        assertThatThrownBy(() -> new GoTemplate("{{.Id")).hasMessageContaining("without \"}}\"");
        assertThat(GoTemplate.isTemplate("json")).isFalse();
        assertThat(GoTemplate.isTemplate("{{.Id}}")).isTrue();
    }

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
