package io.krunbox.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessTruthTest {
    @Test
    void aLiveProcessWithItsStartTimeIsLive() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            String start = ProcessTruth.startOf(p.toHandle());
            assertThat(ProcessTruth.live(p.pid(), start)).isPresent();
            assertThat(ProcessTruth.live(p.pid(), "1970-01-01T00:00:00Z")).as("a reused pid").isEmpty();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aZombieIsDead() throws Exception {
        // sh forks a child and execs a sleep that never reaps it: the killed child stays a zombie
        Process parent = new ProcessBuilder("sh", "-c", "sleep 30 & echo $!; exec sleep 30").start();
        try {
            long child = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream()))
                    .readLine().trim());
            String start = ProcessTruth.startOf(ProcessHandle.of(child).orElseThrow());
            new ProcessBuilder("kill", "-9", Long.toString(child)).start().waitFor();
            Thread.sleep(200);
            assertThat(ProcessHandle.of(child)).as("the zombie is still there").isPresent();
            assertThat(ProcessTruth.live(child, start)).isEmpty();
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }
}
