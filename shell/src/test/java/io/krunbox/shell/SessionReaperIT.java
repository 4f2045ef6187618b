package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.TestSessions;
import io.krunbox.runtime.state.ProcessTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a killed test JVM left (boxes, networks and volumes labelled with its session) is removed
 * by any krunbox command once the session's file has gone stale for the grace time, and not before;
 * a live session's objects are never taken.
 */
class SessionReaperIT extends SandboxCliTest {
    /** A session as krunbox-junit records one, for JVM {@code owner}, with objects made through the CLI. */
    private void session(String id, String owner, String suffix) throws Exception {
        String s = TestSessions.SESSION_LABEL + "=" + id, o = TestSessions.OWNER_LABEL + "=" + owner;
        ok("network", "create", "--label", s, "--label", o, "reap-net-" + suffix);
        ok("volume", "create", "--label", s, "--label", o, "reap-vol-" + suffix);
        ok("run", "-d", "--name", "reap-box-" + suffix, "--label", s, "--label", o, "--network", "reap-net-" + suffix,
                "-v", "reap-vol-" + suffix + ":/data", "demo", "sleep", "600");
        Path file = TestSessions.register(new io.krunbox.runtime.base.KrunboxHome(home), id, owner);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void anyCommandRemovesWhatADeadSessionLeftAfterTheGraceTime() throws Exception {
        Process gone = new ProcessBuilder("sleep", "600").start();
        String deadOwner = gone.pid() + ":" + ProcessTruth.startOf(gone.toHandle());
        gone.destroyForcibly();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        ProcessHandle me = ProcessHandle.current();
        session("deadbeef", deadOwner, "dead");
        session("a11ve000", me.pid() + ":" + ProcessTruth.startOf(me), "live");

        // within the grace time (the file was touched a minute ago; an hour's grace): nothing is taken
        assertThat(cli.with("KRUNBOX_REAP_GRACE", "1h").run("ps", "-a", "--format", "{{.Names}}").out())
                .contains("reap-box-dead", "reap-box-live");

        // after it, any command (here volume ls) takes the dead session's box, network and volume
        Cli.Result r = cli.with("KRUNBOX_REAP_GRACE", "30s").run("volume", "ls", "-q");
        assertThat(r.exit()).as(r.err()).isZero();
        String boxes = ok("ps", "-a", "--format", "{{.Names}}").out();
        assertThat(boxes).doesNotContain("reap-box-dead").contains("reap-box-live");
        assertThat(ok("network", "ls", "-q").out()).doesNotContain("reap-net-dead").contains("reap-net-live");
        assertThat(ok("volume", "ls", "-q").out()).doesNotContain("reap-vol-dead").contains("reap-vol-live");
        assertThat(home.resolve("sessions/deadbeef")).doesNotExist();
        assertThat(home.resolve("sessions/a11ve000")).exists();
    }
}
