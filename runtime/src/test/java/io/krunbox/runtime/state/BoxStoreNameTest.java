package io.krunbox.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.BoxNameTakenException;
import io.krunbox.runtime.base.BoxNames;
import io.krunbox.statedb.StateDb;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxStoreNameTest {
    @TempDir
    Path dir;

    private void record(BoxStore store, String name) {
        store.create(BoxNames.newId(), name, "demo", "sha256:x", List.of(), "sandbox", io.krunbox.runtime.model.BoxSpec.builder("demo").build());
    }

    @Test
    void aTakenNameIsRefusedWithItsOwnKindOfError() {
        BoxStore store = new BoxStore(StateDb.open(dir.resolve("state.db")));
        record(store, "jolly-koala");
        assertThatThrownBy(() -> record(store, "jolly-koala"))
                .isInstanceOf(BoxNameTakenException.class)
                .hasMessageContaining("the box name \"jolly-koala\" is already in use by box");
    }

    @Test
    void aGeneratedNameIsNeverOneInUse() {
        BoxStore store = new BoxStore(StateDb.open(dir.resolve("state.db")));
        // the same seed draws the same names: every name the first draws is taken before the second draws
        Set<String> taken = new HashSet<>();
        Random first = new Random(7);
        for (int i = 0; i < 40; i++) {
            String n = BoxNames.name(first);
            if (taken.add(n)) {
                record(store, n);
            }
        }
        Set<String> fresh = new HashSet<>();
        Random second = new Random(7);
        for (int i = 0; i < 40; i++) {
            String n = store.freeName(second);
            assertThat(taken).doesNotContain(n);
            assertThat(fresh.add(n)).isTrue();
            record(store, n);
        }
    }

    @Test
    void whenEveryWordPairIsTakenANumberIsAppended() {
        BoxStore store = new BoxStore(StateDb.open(dir.resolve("state.db")));
        Random r = new Random(1);
        for (String n : BoxNames.allWordPairs()) {
            record(store, n);
        }
        String n = store.freeName(r);
        assertThat(n).matches("[a-z]+-[a-z]+-[0-9]+");
        record(store, n);
    }
}
