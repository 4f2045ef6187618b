package io.krunbox.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunStepTest {
    @Test
    void getfattrsEscapedNamesAreReadBack() {
        assertThat(RunStep.unescape("plain/dir")).isEqualTo("plain/dir");
        assertThat(RunStep.unescape("with\\040space")).isEqualTo("with space");
        assertThat(RunStep.unescape("new\\012line")).isEqualTo("new\nline");
        assertThat(RunStep.unescape("back\\\\slash")).isEqualTo("back\\slash");
        assertThat(RunStep.unescape("trailing\\")).isEqualTo("trailing\\");
        assertThat(RunStep.unescape("\\303\\251t\\303\\251")).isEqualTo("été");
    }
}
