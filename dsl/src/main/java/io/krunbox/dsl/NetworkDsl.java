package io.krunbox.dsl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code network('backend') { subnet '10.89.0.0/24'; gateway '10.89.0.1'; internal true }}. */
public final class NetworkDsl extends DslBlock {
    final Map<String, Object> doc = new LinkedHashMap<>();
    private final Map<String, Object> ipam = new LinkedHashMap<>();

    public NetworkDsl subnet(String cidr) {
        ipam.put("subnet", cidr);
        return this;
    }

    public NetworkDsl gateway(String ip) {
        ipam.put("gateway", ip);
        return this;
    }

    public NetworkDsl internal(boolean v) {
        doc.put("internal", v);
        return this;
    }

    public NetworkDsl external(boolean v) {
        doc.put("external", v);
        return this;
    }

    public NetworkDsl name(String v) {
        doc.put("name", v);
        return this;
    }

    public NetworkDsl labels(Map<String, ?> v) {
        doc.put("labels", Strings.of(v));
        return this;
    }

    Map<String, Object> build() {
        if (!ipam.isEmpty()) {
            doc.put("ipam", Map.of("config", List.of(ipam)));
        }
        return doc;
    }
}
