package io.krunbox.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.base.NoSuchVolumeException;
import io.krunbox.runtime.exec.ExecRequest;
import io.krunbox.runtime.exec.ExecSession;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.state.BoxStatus;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one door a Java user opens: a home, and through it boxes, volumes, networks and projects. */
class KrunboxApiIT {
    @Test
    void oneHandleReachesBoxesVolumesNetworksAndProjects() throws Exception {
        Session session = Session.get(); // the labels make this JVM's leftovers the reaper's
        Map<String, String> labels = new HashMap<>(session.labelMap());
        labels.put(Topology.PROJECT_LABEL, "apiproj");
        labels.put(Topology.SERVICE_LABEL, "store");
        try (Krunbox k = Krunbox.open()) {
            k.volumes().create("apivol", session.labels());
            k.networks().create("apinet", null, null, false, session.labels());
            String id = k.runner().runDetached(BoxSpec.builder("demo").name("apiproj-store-1").labels(labels)
                    .mount(MountSpec.parseVolume("apivol:/data")).network("apinet")
                    .command("sh", "-c", "echo kept > /data/mark; sleep 600").build());
            try {
                assertThat(k.projects()).contains("apiproj");
                assertThat(k.project("apiproj")).extracting(p -> p.service()).containsExactly("store");
                BoxRecord b = k.boxes().get("apiproj-store-1");
                assertThat(b.status()).isEqualTo(BoxStatus.RUNNING);
                assertThat(k.networks().get("apinet").name()).isEqualTo("apinet");

                for (int round = 1; round <= 3; round++) {
                    // an exec at once after the start: the box's init may not listen yet, the exec waits for it
                    BoxRecord again = k.restart(b, Duration.ofSeconds(1));
                    assertThat(again.status()).isEqualTo(BoxStatus.RUNNING);
                    assertThat(again.initPid()).isNotEqualTo(b.initPid());
                    assertThat(exec(k, again, "cat", "/data/mark")).as("round %d", round).isEqualTo("kept\n");
                    b = again;
                }
                assertThat(Files.readString(k.volumes().path("apivol").resolve("mark"))).isEqualTo("kept\n");
            } finally {
                k.boxes().remove(k.boxes().get(id), true);
                k.networks().remove("apinet", true);
                k.volumes().remove("apivol", true);
            }
            assertThat(k.project("apiproj")).isEmpty();
            assertThatThrownBy(() -> k.volumes().get("apivol")).isInstanceOf(NoSuchVolumeException.class);
        }
    }

    @Test
    void twoHandlesOnTwoHomesSeeOnlyTheirOwn(@TempDir Path a, @TempDir Path b) throws Exception {
        try (Krunbox one = Krunbox.open(new KrunboxHome(a)); Krunbox two = Krunbox.open(new KrunboxHome(b))) {
            one.volumes().create("only-in-one", List.of());
            assertThat(one.volumes().get("only-in-one").name()).isEqualTo("only-in-one");
            assertThatThrownBy(() -> two.volumes().get("only-in-one")).isInstanceOf(NoSuchVolumeException.class);
            assertThat(one.home().root()).isEqualTo(a);
            one.volumes().remove("only-in-one", false);
        }
    }

    private static String exec(Krunbox k, BoxRecord b, String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecSession s = k.boxes().exec(b, ExecRequest.asBox(k.boxes().config(b), List.of(argv), List.of(), null, null,
                false))) {
            s.closeStdin();
            assertThat(s.relay(out, new ByteArrayOutputStream())).isZero();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
