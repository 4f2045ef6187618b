package io.krunbox.runtime.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.oci.layer.LayerCache;
import io.krunbox.oci.OciLayout;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.isolation.BoxProcess;
import io.krunbox.runtime.isolation.sandbox.SandboxLauncher;
import io.krunbox.runtime.testing.HostParts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real guest-init, as PID 1 of a real sandbox: its own failures end the box with 125 and say why. */
class GuestInitIT {
    @TempDir Path tmp;
    Path rootfs;
    BoxControl control;

    @BeforeAll
    static void needsSandbox() {
        HostParts.sandbox();
    }

    @BeforeEach
    void rootfs() throws Exception {
        rootfs = tmp.resolve("rootfs");
        LayerCache.flatten(OciLayout.open(HostParts.demoImage()).image(null), rootfs, s -> {});
        control = BoxControl.of(tmp);
        control.prepare(rootfs);
        GuestInit.builtIn().installInto(control);
    }

    record Outcome(int status, String stderr, ExitRecord exit) {}

    Outcome boot(String configJson) throws Exception {
        Files.writeString(control.config(), configJson);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BoxProcess p = new SandboxLauncher().start(rootfs, tmp, new BoxOutput(out, err));
        assertThat(p.waitFor(Duration.ofSeconds(20))).as("guest-init must never hang").isTrue();
        int status = p.waitFor();
        return new Outcome(status, err.toString(StandardCharsets.UTF_8), ExitRecord.readFrom(control).orElseThrow());
    }

    @Test
    void malformedConfigEndsWith125AndAMessage() throws Exception {
        Outcome o = boot("{\"argv\": [\"echo\", ");
        assertThat(o.status()).isEqualTo(125);
        assertThat(o.stderr()).contains("krunbox-init: /.krunbox/config.json is not valid JSON: unexpected end of input at byte 18");
        assertThat(o.exit().code()).isEqualTo(125);
        assertThat(o.exit().reason()).contains("not valid JSON");
    }

    @Test
    void configOfTheWrongShapeEndsWith125() throws Exception {
        Outcome o = boot("{\"argv\": \"echo hi\"}");
        assertThat(o.status()).isEqualTo(125);
        assertThat(o.stderr()).contains("\"argv\" must be an array of strings");
    }

    @Test
    void aMissingWorkloadBinaryEndsWith125AndAMessage() throws Exception {
        Outcome o = boot("{\"argv\": [\"/no/such/binary\"]}");
        assertThat(o.status()).isEqualTo(125);
        assertThat(o.stderr()).contains("krunbox-init: cannot run \"/no/such/binary\": No such file or directory");
        assertThat(o.exit()).isEqualTo(new ExitRecord(125, 0, "cannot run \"/no/such/binary\": No such file or directory"));
    }

    @Test
    void anUnknownUserEndsWith125() throws Exception {
        Outcome o = boot("{\"argv\": [\"id\"], \"user\": \"ghost\"}");
        assertThat(o.status()).isEqualTo(125);
        assertThat(o.stderr()).contains("user \"ghost\" is not in the box's /etc/passwd");
    }

    @Test
    void theWorkloadsExitCodeIsRecorded() throws Exception {
        Outcome o = boot("{\"argv\": [\"sh\", \"-c\", \"exit 42\"]}");
        assertThat(o.status()).isEqualTo(42);
        assertThat(o.exit()).isEqualTo(new ExitRecord(42, 0, "exited"));
    }
}
