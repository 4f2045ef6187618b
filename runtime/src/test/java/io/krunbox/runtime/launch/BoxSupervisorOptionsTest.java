package io.krunbox.runtime.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /** This JDK accepts the supervisor's options, and they give the small JVM they promise. */
    @Test
    void theSupervisorsJvmStartsWithAHeapOf48MibAndTheSerialCollector() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(BoxSupervisor.SUPERVISOR_OPTS);
        cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(flags).isZero();
        assertThat(flags).containsPattern("size_t MaxHeapSize\\s+= " + (48L << 20) + "\\s")
                .containsPattern("bool UseSerialGC\\s+= true\\s")
                .containsPattern("intx CICompilerCount\\s+= 1\\s");
    }
}
