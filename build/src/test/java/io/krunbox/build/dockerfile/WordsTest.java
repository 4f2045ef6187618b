package io.krunbox.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WordsTest {
    final Map<String, String> vars = Map.of("NAME", "web", "EMPTY", "", "PATHS", "a b");
    final Words w = new Words('\\', vars::get, "Dockerfile", 7, 1);

    @Test
    void substitutesEveryFormTheReferenceNames() {
        assertThat(w.word("$NAME ${NAME}")).isEqualTo("web web");
        assertThat(w.word("${UNSET:-fallback} ${EMPTY:-fallback} ${EMPTY-kept}")).isEqualTo("fallback fallback ");
        assertThat(w.word("${NAME:+set} ${UNSET:+set}|${EMPTY+plus}")).isEqualTo("set |plus");
        assertThat(w.word("$UNSET-x")).isEqualTo("-x");
        assertThat(w.word("cost: \\$5 and $")).isEqualTo("cost: $5 and $");
        assertThat(w.word("${UNSET:-${NAME}}")).isEqualTo("web");
    }

    @Test
    void quotesAndSplitting() {
        assertThat(w.split("a 'b c' \"d $NAME\" e\\ f")).containsExactly("a", "b c", "d web", "e f");
        assertThat(w.split("'$NAME'")).containsExactly("$NAME");
        assertThat(w.split("key=\"$PATHS\" other=$PATHS")).containsExactly("key=a b", "other=a b"); // a value is not split again, as BuildKit does not
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> w.word("${NAME")).hasMessageStartingWith("Dockerfile:7:1: ${ is not closed");
        assertThatThrownBy(() -> w.word("x \"open")).hasMessageStartingWith("Dockerfile:7:8: a double quote is not closed");
        assertThatThrownBy(() -> w.word("${UNSET:?must be set}")).hasMessage("Dockerfile:7:1: UNSET: must be set");
        assertThatThrownBy(() -> w.word("${1BAD}")).hasMessageContaining("bad substitution");
    }
}
