package io.krunbox.dsl;

import io.krunbox.runtime.model.TopologyBuilder;
import java.util.Map;

/** {@code network('backend') { subnet '10.89.0.0/24'; gateway '10.89.0.1'; internal true }}: the words of {@link TopologyBuilder.NetworkBuilder}. */
public final class NetworkDsl extends DslBlock {
    private final TopologyBuilder.NetworkBuilder network;

    NetworkDsl(TopologyBuilder.NetworkBuilder network) {
        this.network = network;
    }

    public NetworkDsl subnet(String cidr) {
        network.subnet(cidr);
        return this;
    }

    public NetworkDsl gateway(String ip) {
        network.gateway(ip);
        return this;
    }

    public NetworkDsl internal(boolean v) {
        if (v) {
            network.internal();
        }
        return this;
    }

    public NetworkDsl external(boolean v) {
        if (v) {
            network.external();
        }
        return this;
    }

    public NetworkDsl name(String v) {
        network.name(v);
        return this;
    }

    public NetworkDsl labels(Map<String, ?> v) {
        Strings.of(v).forEach(network::label);
        return this;
    }
}
