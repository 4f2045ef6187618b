package io.krunbox.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a test JVM killed with SIGKILL left is removed by the next session's start. */
class ReaperIT {
    /** The killed JVM: starts a box (and a network and a volume for it) and waits to be killed. */
    public static void main(String[] args) throws Exception {
        BoxContainer box = BoxContainer.of("demo").withCommand("sleep", "600").withNetwork("kbj-reaped-net")
                .withVolume("kbj-reaped-vol", "/data").waitingFor(Wait.forCommand("true")).start();
        System.out.println(box.name());
        System.out.flush();
        Thread.sleep(600_000);
    }

    @Test
    void theBoxesNetworksAndVolumesOfAKilledTestJvmAreRemoved() throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dkrunbox.demo.image=" + System.getProperty("krunbox.demo.image"),
                ReaperIT.class.getName())).redirectErrorStream(true).start();
        String name;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            name = out.readLine();
            assertThat(name).as("the child's box").startsWith("kbj-");
            Session s = Session.get();
            assertThat(s.boxes.list(true)).anyMatch(b -> b.name().equals(name));
            child.destroyForcibly(); // SIGKILL: no afterAll, no shutdown hook
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // while its session file is fresh, a JVM that looks dead from here is left alone (it may beat elsewhere)
            String grace = System.getProperty("krunbox.reap.grace");
            System.setProperty("krunbox.reap.grace", "1h");
            try {
                s.reap();
                assertThat(s.boxes.list(true)).anyMatch(b -> b.name().equals(name));
                System.setProperty("krunbox.reap.grace", "1s");
                Thread.sleep(1500);
                s.reap(); // or a parallel test class's command got there first: either way it is gone below
            } finally {
                if (grace == null) {
                    System.clearProperty("krunbox.reap.grace");
                } else {
                    System.setProperty("krunbox.reap.grace", grace);
                }
            }
            assertThat(s.boxes.list(true)).noneMatch(b -> b.name().equals(name));
            assertThat(s.runner.wiring().networks().store().find("kbj-reaped-net")).isEmpty();
            assertThat(s.runner.wiring().volumes().store().find("kbj-reaped-vol")).isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }
}
