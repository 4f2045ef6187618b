package io.krunbox.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.model.PortMapping;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubnetTest {
    @Test
    void subnetsParseAndOverlap() {
        Subnet s = Subnet.parse("10.89.0.0/24");
        assertThat(Ipv4.format(s.first())).isEqualTo("10.89.0.1");
        assertThat(Ipv4.format(s.last())).isEqualTo("10.89.0.254");
        assertThat(s.overlaps(Subnet.parse("10.89.0.128/25"))).isTrue();
        assertThat(s.overlaps(Subnet.parse("10.90.0.0/24"))).isFalse();
        assertThat(Subnet.parse("192.168.0.0/16").contains(Ipv4.parse("192.168.255.254"))).isTrue();
    }

    @Test
    void badSubnetsSayWhy() {
        assertThatThrownBy(() -> Subnet.parse("0.0.0.0/0")).hasMessageContaining("/0");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/31")).hasMessageContaining("no room");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/32")).hasMessageContaining("no room");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.1/24")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/x")).hasMessageContaining("not a number");
    }

    @Test
    void thePoolHandsOutTheFirstFreeSlash24() {
        SubnetPool pool = new SubnetPool(Subnet.parse("10.88.0.0/16"), 24);
        assertThat(pool.next(List.of())).hasToString("10.88.0.0/24");
        assertThat(pool.next(List.of(Subnet.parse("10.88.0.0/23")))).hasToString("10.88.2.0/24");
    }

    @Test
    void bridgeNamesFitFifteenCharactersAndAvoidTakenOnes() {
        String a = NetworkStore.bridgeName("a-very-long-network-name", Set.of());
        assertThat(a).hasSizeLessThanOrEqualTo(15).startsWith("kb-averyl-");
        assertThat(NetworkStore.bridgeName("a-very-long-network-name", Set.of(a))).isNotEqualTo(a).hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void portsParseLikeDockers() {
        assertThat(PortMapping.parse("127.0.0.1:8080:80")).containsExactly(new PortMapping("127.0.0.1", 8080, 80, "tcp"));
        assertThat(PortMapping.parse("53:53/udp")).containsExactly(new PortMapping("0.0.0.0", 53, 53, "udp"));
        assertThat(PortMapping.parse("8000-8001:80-81")).hasSize(2).last().isEqualTo(new PortMapping(null, 8001, 81, "tcp"));
        assertThat(PortMapping.parse("80")).containsExactly(new PortMapping(null, 0, 80, "tcp"));
        assertThatThrownBy(() -> PortMapping.parse("8000-8002:80")).hasMessageContaining("differ in size");
        assertThatThrownBy(() -> PortMapping.parse("x:80")).hasMessageContaining("invalid port \"x:80\"");
        assertThatThrownBy(() -> PortMapping.parse("80/sctp")).hasMessageContaining("sctp");
    }

    @Test
    void aClashNamesTheBoxHoldingThePortAndPortZeroBecomesAFreeOne() {
        var others = java.util.Map.of("web", List.of(new PortMapping("0.0.0.0", 18080, 80, "tcp")));
        assertThatThrownBy(() -> Ports.resolve(PortMapping.parse("127.0.0.1:18080:80"), false, List.of(), others))
                .hasMessageContaining("already published by box web");
        assertThat(Ports.resolve(PortMapping.parse("127.0.0.1:18080:80/udp"), false, List.of(), others)).hasSize(1);
        List<PortMapping> any = Ports.resolve(PortMapping.parse("80"), true, List.of("443/tcp"), others);
        assertThat(any).hasSize(2).allSatisfy(p -> assertThat(p.hostPort()).isBetween(32768, 60999));
    }

    @Test
    void routedSubnetsAreReadFromIpRoute() {
        String listing = "default via 192.168.1.1 dev eth0 proto dhcp src 192.168.1.20 metric 100\n"
                + "10.88.0.0/24 dev kb-krunbo-804e proto kernel scope link src 10.88.0.1\n"
                + "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown\n"
                + "192.168.1.1 dev eth0 proto dhcp scope link src 192.168.1.20 metric 100\n";
        org.assertj.core.api.Assertions.assertThat(Networks.routes(listing).stream().map(Subnet::toString))
                .containsExactly("10.88.0.0/24", "172.17.0.0/16");
        org.assertj.core.api.Assertions.assertThat(new SubnetPool(Subnet.parse("10.88.0.0/16"), 24)
                .next(Networks.routes(listing)).toString()).isEqualTo("10.88.1.0/24");
    }
}
