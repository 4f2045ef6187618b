package io.krunbox.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;

/** An instance @Box: a box of its own for each test, gone after it. */
@KrunboxTest
class TestBoxIT {
    static final Set<String> IDS = new HashSet<>();
    static final Set<String> NAMES = new HashSet<>();

    @Box
    BoxContainer box = BoxContainer.of("demo").withCommand("sh", "-c", "echo up; exec sleep 600")
            .waitingFor(Wait.forLog("^up$"));

    @RepeatedTest(3)
    void eachTestHasItsOwnBox() {
        IDS.add(box.id());
        NAMES.add(box.name());
        assertThat(box.logs()).isEqualTo("up\n");
        assertThat(box.exec("cat", "/etc/hostname").stdout().trim()).isEqualTo(box.name());
    }

    @AfterAll
    static void everyBoxIsGone() {
        assertThat(IDS).hasSize(3);
        Session s = Session.get();
        for (String name : NAMES) {
            assertThat(s.boxes.list(true)).noneMatch(b -> b.name().equals(name));
        }
    }
}
