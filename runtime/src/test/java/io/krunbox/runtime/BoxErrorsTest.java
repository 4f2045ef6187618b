package io.krunbox.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.BoxNameTakenException;
import io.krunbox.runtime.base.BoxNotRunningException;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.base.NoSuchBoxException;
import io.krunbox.runtime.base.NoSuchNetworkException;
import io.krunbox.runtime.base.NoSuchVolumeException;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.state.BoxStore;
import io.krunbox.statedb.StateDb;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user errors of the runtime's front door: each its own type, each message saying what to do. */
class BoxErrorsTest {
    @TempDir Path dir;
    private Boxes boxes;

    @BeforeEach
    void home() {
        KrunboxHome home = new KrunboxHome(dir);
        home.create();
        boxes = new Boxes(home, new BoxStore(StateDb.open(dir.resolve("state.db"))));
    }

    @Test
    void aBoxThatIsNotThere() {
        assertThatThrownBy(() -> boxes.get("nosuch")).isInstanceOf(NoSuchBoxException.class)
                .hasMessage("no such box: nosuch (`krunbox ps -a` lists them)");
    }

    @Test
    void aBoxThatIsNotRunning() {
        boxes.store().create("0123456789ab" + "0".repeat(52), "idle", "demo", "sha256:x", List.of(), "sandbox",
                BoxSpec.builder("demo").build());
        var idle = boxes.get("idle");
        assertThatThrownBy(() -> boxes.kill(idle, "TERM")).isInstanceOf(BoxNotRunningException.class)
                .hasMessage("box idle is not running (creating): start it first (`krunbox start idle`)");
        assertThatThrownBy(() -> boxes.exec(idle, new ExecRequest(List.of("true"), List.of(), null, null, false, 0, 0)))
                .isInstanceOf(BoxNotRunningException.class);
        assertThatThrownBy(() -> boxes.store().create("f".repeat(64), "idle", "demo", "sha256:x", List.of(), "sandbox",
                BoxSpec.builder("demo").build())).isInstanceOf(BoxNameTakenException.class).hasMessageContaining("idle");
    }

    @Test
    void aNetworkOrVolumeThatIsNotThere() {
        assertThatThrownBy(() -> boxes.wiring().networks().get("nonet")).isInstanceOf(NoSuchNetworkException.class)
                .hasMessage("no such network: nonet (`krunbox network ls` lists them; `krunbox network create nonet` makes it)");
        assertThatThrownBy(() -> boxes.wiring().volumes().get("novol")).isInstanceOf(NoSuchVolumeException.class)
                .hasMessage("no such volume: novol (`krunbox volume ls` lists them)");
    }
}
