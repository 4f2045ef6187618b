package io.krunbox.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.BoxNames;
import io.krunbox.statedb.StateDb;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxStoreFinishTest {
    @TempDir
    Path dir;

    @Test
    void ofCommandsThatFindABoxEndedAtOnceExactlyOneRecordsIt() {
        Path file = dir.resolve("state.db");
        BoxStore store = new BoxStore(StateDb.open(file));
        String id = BoxNames.newId();
        store.create(id, "watched", "demo", "sha256:x", List.of(), "sandbox", io.krunbox.runtime.model.BoxSpec.builder("demo").build());
        store.running(id, ProcessHandle.current(), null);
        long supervisor = ProcessHandle.current().pid();
        AtomicInteger recorded = new AtomicInteger();
        List<CompletableFuture<Void>> lookers = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lookers.add(CompletableFuture.runAsync(() -> {
                // each with its own handle, as separate krunbox processes have
                BoxStore own = new BoxStore(StateDb.open(file));
                if (own.finishIfStillActive(id, supervisor, 3, "the box ended with status 3")) {
                    recorded.incrementAndGet();
                }
            }));
        }
        lookers.forEach(CompletableFuture::join);
        assertThat(recorded.get()).isEqualTo(1);
        BoxStore.BoxRecord b = store.find(id).orElseThrow();
        assertThat(b.status()).isEqualTo(BoxStatus.EXITED);
        assertThat(b.exitCode()).isEqualTo(3);
        assertThat(store.events(0).stream().filter(e -> e.action().equals("die")).count()).isEqualTo(1);
        // a box started again under another supervisor is not ended by a look at the old one
        store.running(id, ProcessHandle.current(), null);
        assertThat(store.finishIfStillActive(id, supervisor + 1, 0, "stale")).isFalse();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(BoxStatus.RUNNING);
    }
}
