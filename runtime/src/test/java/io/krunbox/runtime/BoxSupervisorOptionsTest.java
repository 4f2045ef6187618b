package io.krunbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.launch.BoxSupervisor;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxSupervisorOptionsTest {
    @Test
    void aSupervisorKeepsKrunboxSettingsAndTheClassArchiveMappingButNotAgents() {
        List<String> launcher = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:SharedArchiveFile=/k/krunbox.jsa",
                "-Xlog:cds=off", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:ArchiveRelocationMode=0", "-Dorg.sqlite.lib.path=/k/native", "-javaagent:/x/jacoco.jar",
                "-agentlib:jdwp=transport=dt_socket", "-Xmx2g");
        assertThat(BoxSupervisor.inherited(launcher)).containsExactly("-Xshare:auto",
                "-XX:SharedArchiveFile=/k/krunbox.jsa", "-Xlog:cds=off", "-XX:+IgnoreUnrecognizedVMOptions",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", "-Dorg.sqlite.lib.path=/k/native");
    }

    @Test
    void theDefaultSupervisorJvmIsSmallAndStartsSmall() {
        assertThat(BoxSupervisor.SUPERVISOR_OPTS).contains("-Xms4m", "-XX:+UseSerialGC", "-XX:CICompilerCount=1");
    }
}
