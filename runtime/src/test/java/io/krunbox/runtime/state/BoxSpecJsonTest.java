package io.krunbox.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.FullSpec;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.RestartPolicy;
import io.krunbox.runtime.model.Ulimit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxSpecJsonTest {
    @Test
    void everyFieldSurvivesTheRoundTripExactly() {
        BoxSpec spec = FullSpec.everything();
        assertThat(BoxSpecJson.read(BoxSpecJson.write(spec))).isEqualTo(spec);
    }

    @Test
    void theBootTimeoutKeepsItsMilliseconds() {
        BoxSpec spec = BoxSpec.builder("demo").bootTimeout(Duration.ofMillis(1500)).build();
        assertThat(BoxSpecJson.read(BoxSpecJson.write(spec)).bootTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aMinimalSpecComesBackWithItsDefaults() {
        BoxSpec spec = BoxSpec.builder("demo").build();
        BoxSpec back = BoxSpecJson.read(BoxSpecJson.write(spec));
        assertThat(back).isEqualTo(spec);
        assertThat(back.command()).isNull();
        assertThat(back.networks()).extracting(NetworkAttachment::network).containsExactly(NetworkAttachment.DEFAULT);
    }

    @Test
    void aSpecStoredByTheFirstFormatIsStillRead() {
        String old = """
                {"name":"web","image":"demo","command":["sleep","60"],"entrypoint":null,"env":["A=1"],"workdir":null,
                 "user":null,"hostname":null,"isolation":"sandbox","cpus":2,"memoryMib":256,"remove":false,"kernel":null,
                 "bootTimeoutSeconds":20,"restart":"always","pidsLimit":0,
                 "networks":[{"network":"back","aliases":["api"],"ip":null}],
                 "ports":[{"hostIp":"127.0.0.1","hostPort":8080,"boxPort":80,"protocol":"tcp"}],"publishAll":false,
                 "dns":[],"extraHosts":[],"mounts":[{"type":"VOLUME","source":"data","target":"/data","readOnly":false,
                 "options":""}],"readOnly":false,"labels":{"team":"core"},"stopSignal":"INT","stopTimeoutMillis":3000,
                 "ulimits":["nofile=10:20"],
                 "health":{"test":["CMD","true"],"intervalMillis":500,"timeoutMillis":1000,"startPeriodMillis":0,"retries":3}}
                """;
        BoxSpec s = BoxSpecJson.read(old);
        assertThat(s.name()).isEqualTo("web");
        assertThat(s.isolation()).isEqualTo(Isolation.SANDBOX);
        assertThat(s.bootTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.restart()).isEqualTo(RestartPolicy.parse("always"));
        assertThat(s.networks().get(0).aliases()).containsExactly("api");
        assertThat(s.stop().signal()).isEqualTo("INT");
        assertThat(s.stop().grace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.ulimits()).containsExactly(Ulimit.parse("nofile=10:20"));
        assertThat(s.health().interval()).isEqualTo(Duration.ofMillis(500));
        // and it is written back in the current format
        assertThat(BoxSpecJson.write(s)).startsWith("{\"format\":" + BoxSpecJson.FORMAT + ",");
    }

    @Test
    void whatStateDbCannotHoldIsRefusedWithAReason() {
        assertThatThrownBy(() -> BoxSpecJson.read("[1]")).isInstanceOf(BoxException.class)
                .hasMessage("state.db holds a box spec that is not a JSON object");
        assertThatThrownBy(() -> BoxSpecJson.read("{\"format\":9,\"image\":\"demo\"}")).isInstanceOf(BoxException.class)
                .hasMessageContaining("format 9, which this krunbox does not know (it writes 2)");
        assertThatThrownBy(() -> BoxSpecJson.read("{\"format\":2,\"image\":\"demo\",\"cpus\":0}"))
                .hasMessageContaining("cpus must be between 1 and 255, got 0");
    }
}
