package io.krunbox.runtime.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes may release one box's rootfs at once (a supervisor ending its box while
 * {@code rm} or {@code compose down} removes it): whoever comes second finds it gone, which
 * is not an error.
 */
class RootfsReleaseIT {
    @TempDir Path box;

    @BeforeAll
    static void needsSandbox() {
        HostParts.sandbox();
    }

    @Test
    void concurrentReleasesOfOneMountAllSucceed() throws Exception {
        Path merged = RootfsPreparer.merged(box);
        Files.createDirectories(merged);
        for (int round = 0; round < 30; round++) {
            HostCommand.run("mount", "-t", "tmpfs", "tmpfs", merged.toString());
            List<CompletableFuture<Void>> releases = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                releases.add(CompletableFuture.runAsync(() -> RootfsPreparer.release(box)));
            }
            for (CompletableFuture<Void> r : releases) {
                r.join();
            }
            assertThat(RootfsPreparer.isMountPoint(merged)).isFalse();
        }
    }
}
