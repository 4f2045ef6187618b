package io.krunbox.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class BoxSpecTest {
    @Test
    void toBuilderCarriesEveryField() {
        BoxSpec spec = FullSpec.everything();
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        BoxSpec renamed = spec.withName("other");
        assertThat(renamed.name()).isEqualTo("other");
        assertThat(renamed.toBuilder().name("web").build()).isEqualTo(spec);
    }

    @Test
    void resolvedReplacesPortsAndMountsAndDropsPublishAll() {
        BoxSpec spec = BoxSpec.builder("demo").publishAll(true).port(new PortMapping("127.0.0.1", 0, 80, "tcp")).build();
        PortMapping chosen = new PortMapping("127.0.0.1", 32768, 80, "tcp");
        MountSpec anon = new MountSpec(MountSpec.Type.VOLUME, null, "/data", false, "");
        BoxSpec r = spec.resolved(List.of(chosen), List.of(anon));
        assertThat(r.ports()).containsExactly(chosen);
        assertThat(r.mounts()).containsExactly(anon);
        assertThat(r.publishAll()).isFalse();
    }

    static List<Arguments> badSpecs() {
        return List.of(
                Arguments.of(BoxSpec.builder("demo").cpus(0), "cpus must be between 1 and 255, got 0"),
                Arguments.of(BoxSpec.builder("demo").memoryMib(8), "memory must be at least 16 MiB, got 8 MiB"),
                Arguments.of(BoxSpec.builder("demo").env("=x"), "environment entry \"=x\" is not KEY=VALUE"),
                Arguments.of(BoxSpec.builder("demo").env("NOVALUE"), "environment entry \"NOVALUE\" is not KEY=VALUE"),
                Arguments.of(BoxSpec.builder("demo").pidsLimit(-1), "pids limit must be positive (0: no limit), got -1"),
                Arguments.of(BoxSpec.builder("demo").dns("dns.example"), "--dns \"dns.example\" is not an IPv4 address"),
                Arguments.of(BoxSpec.builder("demo").extraHost("db=1.2.3.4"), "--add-host \"db=1.2.3.4\" is not HOST:IPv4"),
                Arguments.of(BoxSpec.builder("demo").mount(MountSpec.parseTmpfs("/x")).mount(MountSpec.parseTmpfs("/x")),
                        "two mounts target /x: keep one"),
                Arguments.of(BoxSpec.builder("demo").remove(true).restart(RestartPolicy.parse("always")),
                        "--rm and --restart always contradict each other: choose one"),
                Arguments.of(BoxSpec.builder("demo").network("none").port(new PortMapping("127.0.0.1", 1, 2, "tcp")),
                        "a box with --network none cannot publish ports"),
                Arguments.of(BoxSpec.builder("demo").network("a").network("a"), "network a is given twice"),
                Arguments.of(BoxSpec.builder("demo").network("none").network("a"),
                        "--network none cannot be combined with other networks"),
                Arguments.of(BoxSpec.builder("demo").ulimit(Ulimit.parse("nofile=1:2")).ulimit(Ulimit.parse("nofile=3:4")),
                        "a ulimit is given twice: keep one per resource"),
                Arguments.of(BoxSpec.builder(" "), "a box needs an image"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void aBadSpecIsRefusedSayingWhatIsWrong(BoxSpec.Builder b, String message) {
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
