package io.krunbox.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortMappingTest {
    @Test
    void theFormsOfDashPAreRead() {
        assertThat(PortMapping.parse("80")).containsExactly(new PortMapping("0.0.0.0", 0, 80, "tcp"));
        assertThat(PortMapping.parse("8080:80")).containsExactly(new PortMapping("0.0.0.0", 8080, 80, "tcp"));
        assertThat(PortMapping.parse("127.0.0.1:8080:80/udp")).containsExactly(new PortMapping("127.0.0.1", 8080, 80, "udp"));
        assertThat(PortMapping.parse("127.0.0.1::80")).containsExactly(new PortMapping("127.0.0.1", 0, 80, "tcp"));
        assertThat(PortMapping.parse("8000-8002:80-82")).containsExactly(new PortMapping("0.0.0.0", 8000, 80, "tcp"),
                new PortMapping("0.0.0.0", 8001, 81, "tcp"), new PortMapping("0.0.0.0", 8002, 82, "tcp"));
        assertThat(PortMapping.parse("53/UDP")).containsExactly(new PortMapping("0.0.0.0", 0, 53, "udp"));
    }

    @Test
    void twoMappingsClashOnTheSameHostSocketOnly() {
        PortMapping any = PortMapping.parse("8080:80").get(0);
        PortMapping local = PortMapping.parse("127.0.0.1:8080:81").get(0);
        PortMapping udp = PortMapping.parse("8080:80/udp").get(0);
        PortMapping other = PortMapping.parse("127.0.0.2:8080:80").get(0);
        assertThat(any.clashes(local)).isTrue();
        assertThat(local.clashes(other)).isFalse();
        assertThat(any.clashes(udp)).isFalse();
        assertThat(PortMapping.parse("80").get(0).clashes(PortMapping.parse("80").get(0))).isFalse();
        assertThat(List.of(local)).extracting(PortMapping::toString).containsExactly("81/tcp -> 127.0.0.1:8080");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "80:x | invalid port \"80:x\": a port is not a number",
            "host:80:80 | invalid port \"host:80:80\": host address \"host\" is not an IPv4 address",
            "8000-8001:80-82 | invalid port \"8000-8001:80-82\": the host range and the box range differ in size",
            "90-80 | invalid port \"90-80\": port range 90-80 ends before it starts",
            "70000:80 | invalid port \"70000:80\": ports must be between 1 and 65535 (host port 0: any free port)",
            "80/sctp | invalid port \"80/sctp\": port protocol \"sctp\" is neither tcp nor udp"})
    void aBadPortIsRefusedWithTheFormToUse(String text, String message) {
        assertThatThrownBy(() -> PortMapping.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message + " (use [HOST_IP:]HOST_PORT:BOX_PORT[/tcp|udp], e.g. 127.0.0.1:8080:80)");
    }
}
