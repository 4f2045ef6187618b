package io.krunbox.statedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDbTest {
    @TempDir Path dir;

    @Test
    void aMigrationRunsOnceAcrossHandlesEvenWhenAnotherHandleAppliedItAfterThisOneLooked() {
        Path file = dir.resolve("state.db");
        try (StateDb first = StateDb.open(file); StateDb second = StateDb.open(file)) {
            first.migrate("test/1", "CREATE TABLE one (x INTEGER)"); // first now knows what is applied
            second.migrate("test/1", "CREATE TABLE one (x INTEGER)"); // would fail if it ran again
            second.migrate("test/2", "CREATE TABLE two (x INTEGER)");
            first.migrate("test/2", "CREATE TABLE two (x INTEGER)"); // applied after first looked
            int recorded = first.read(c -> {
                try (var r = c.createStatement().executeQuery("SELECT count(*) FROM migrations")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            assertThat(recorded).isEqualTo(2);
        }
        try (StateDb again = StateDb.open(file)) {
            again.migrate("test/2", "CREATE TABLE two (x INTEGER)");
        }
    }
}
