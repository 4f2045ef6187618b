package io.krunbox.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.BoxNames;
import io.krunbox.statedb.StateDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsernsRangesTest {
    @TempDir Path dir;

    static String box(BoxStore store) {
        String id = BoxNames.newId();
        store.create(id, "box-" + id.substring(0, 12), "demo", "sha256:x", List.of(), "sandbox", io.krunbox.runtime.model.BoxSpec.builder("demo").build());
        return id;
    }

    @Test
    void eachBoxGetsARangeOfItsOwnKeptForItsLifeAndFreedWithIt() {
        BoxStore store = new BoxStore(StateDb.open(dir.resolve("state.db")));
        UsernsRanges ranges = new UsernsRanges(store.db());
        String a = box(store), b = box(store), c = box(store);
        long ra = ranges.allocate(a), rb = ranges.allocate(b);
        assertThat(ra).isEqualTo(UsernsRanges.FIRST);
        assertThat(rb).isEqualTo(UsernsRanges.FIRST + UsernsRanges.SIZE);
        assertThat(ranges.allocate(a)).as("asked again: the same").isEqualTo(ra);
        assertThat(ranges.find(a)).hasValue(ra);
        assertThat(ranges.find(c)).isEmpty();
        store.delete(a);
        assertThat(ranges.find(a)).isEmpty();
        assertThat(ranges.allocate(c)).as("the freed range is used again").isEqualTo(ra);
    }

    @Test
    void concurrentAllocationsFromSeparateConnectionsNeverShare() throws Exception {
        BoxStore store = new BoxStore(StateDb.open(dir.resolve("state.db")));
        new UsernsRanges(store.db());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ids.add(box(store));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Long>> got = new ArrayList<>();
        for (String id : ids) {
            got.add(pool.submit(() -> {
                try (StateDb own = StateDb.open(dir.resolve("state.db"))) {
                    return new UsernsRanges(own).allocate(id);
                }
            }));
        }
        Set<Long> bases = new HashSet<>();
        for (Future<Long> f : got) {
            bases.add(f.get());
        }
        pool.shutdown();
        assertThat(bases).hasSize(16).allMatch(b -> (b - UsernsRanges.FIRST) % UsernsRanges.SIZE == 0);
    }
}
