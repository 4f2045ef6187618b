package io.krunbox.runtime.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.DeviceMapping;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.model.RestartPolicy;
import io.krunbox.runtime.model.SecurityOptions;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.StopPolicy;
import io.krunbox.runtime.model.Ulimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The first shape of a stored box spec (hand-written JSON, the boot timeout in whole seconds), read
 * so that boxes recorded by an older krunbox still start; {@link BoxSpecJson} writes the current one.
 */
final class LegacySpecJson {
    private LegacySpecJson() {}

    static BoxSpec read(JsonNode o) {
        return new BoxSpec(text(o, "name"), o.path("image").asText(), strings(o, "command"), strings(o, "entrypoint"),
                strings(o, "env"), text(o, "workdir"), text(o, "user"), text(o, "hostname"),
                text(o, "isolation") == null ? null : Isolation.parse(text(o, "isolation")), o.path("cpus").asInt(1),
                o.path("memoryMib").asInt(BoxSpec.DEFAULT_MEMORY_MIB), o.path("remove").asBoolean(), text(o, "kernel"),
                Duration.ofSeconds(o.path("bootTimeoutSeconds").asLong(BoxSpec.DEFAULT_BOOT_TIMEOUT.toSeconds())),
                health(o.path("health")), RestartPolicy.parse(o.path("restart").asText("no")), o.path("pidsLimit").asInt(0),
                networks(o.path("networks")), ports(o.path("ports")), o.path("publishAll").asBoolean(),
                strings(o, "dns"), strings(o, "extraHosts"), mounts(o.path("mounts")), o.path("readOnly").asBoolean(), labels(o.path("labels")),
                new StopPolicy(text(o, "stopSignal"), o.has("stopTimeoutMillis")
                        ? Duration.ofMillis(o.path("stopTimeoutMillis").asLong()) : null),
                strings(o, "ulimits") == null ? null : strings(o, "ulimits").stream().map(Ulimit::parse).toList(),
                security(o.path("security")), null);
    }

    private static SecurityOptions security(JsonNode j) {
        if (!j.isObject()) {
            return SecurityOptions.DEFAULT;
        }
        List<String> devices = strings(j, "devices");
        return new SecurityOptions(j.path("privileged").asBoolean(), strings(j, "capAdd"), strings(j, "capDrop"),
                text(j, "seccomp"), j.path("noNewPrivileges").asBoolean(),
                devices == null ? null : devices.stream().map(DeviceMapping::parse).toList(), labels(j.path("sysctls")),
                text(j, "userns"));
    }

    private static java.util.Map<String, String> labels(JsonNode o) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        o.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<NetworkAttachment> networks(JsonNode a) {
        List<NetworkAttachment> out = new ArrayList<>();
        a.forEach(n -> out.add(new NetworkAttachment(n.path("network").asText(), strings(n, "aliases"), text(n, "ip"))));
        return out;
    }

    private static List<PortMapping> ports(JsonNode a) {
        List<PortMapping> out = new ArrayList<>();
        a.forEach(p -> out.add(new PortMapping(p.path("hostIp").asText(), p.path("hostPort").asInt(),
                p.path("boxPort").asInt(), p.path("protocol").asText())));
        return out;
    }

    private static List<MountSpec> mounts(JsonNode a) {
        List<MountSpec> out = new ArrayList<>();
        a.forEach(m -> out.add(new MountSpec(MountSpec.Type.valueOf(m.path("type").asText()), text(m, "source"),
                m.path("target").asText(), m.path("readOnly").asBoolean(), m.path("options").asText(""))));
        return out;
    }

    private static HealthCheck health(JsonNode h) {
        if (!h.isObject()) {
            return null;
        }
        return new HealthCheck(strings(h, "test"), Duration.ofMillis(h.path("intervalMillis").asLong()),
                Duration.ofMillis(h.path("timeoutMillis").asLong()), Duration.ofMillis(h.path("startPeriodMillis").asLong()),
                h.path("retries").asInt(HealthCheck.DEFAULT_RETRIES));
    }

    private static List<String> strings(JsonNode o, String key) {
        JsonNode a = o.path(key);
        if (!a.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String text(JsonNode o, String key) {
        JsonNode n = o.path(key);
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
