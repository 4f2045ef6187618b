package io.krunbox.runtime.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.oci.ImageJson;
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

/** A box spec as stored in state.db, so a box can be started again and inspected as created. */
public final class BoxSpecJson {
    private BoxSpecJson() {}

    public static String write(BoxSpec s) {
        ObjectNode o = ImageJson.JSON.createObjectNode();
        o.put("name", s.name());
        o.put("image", s.image());
        strings(o, "command", s.command());
        strings(o, "entrypoint", s.entrypoint());
        strings(o, "env", s.env());
        o.put("workdir", s.workdir());
        o.put("user", s.user());
        o.put("hostname", s.hostname());
        o.put("isolation", s.isolation() == null ? null : s.isolation().toString());
        o.put("cpus", s.cpus());
        o.put("memoryMib", s.memoryMib());
        o.put("remove", s.remove());
        o.put("kernel", s.kernel());
        o.put("bootTimeoutSeconds", s.bootTimeout().toSeconds());
        o.put("restart", s.restart().toString());
        o.put("pidsLimit", s.pidsLimit());
        ArrayNode nets = o.putArray("networks");
        for (NetworkAttachment n : s.networks()) {
            ObjectNode j = nets.addObject();
            j.put("network", n.network());
            strings(j, "aliases", n.aliases());
            j.put("ip", n.ip());
        }
        ArrayNode ports = o.putArray("ports");
        for (PortMapping p : s.ports()) {
            ports.addObject().put("hostIp", p.hostIp()).put("hostPort", p.hostPort()).put("boxPort", p.boxPort())
                    .put("protocol", p.protocol());
        }
        o.put("publishAll", s.publishAll());
        strings(o, "dns", s.dns());
        strings(o, "extraHosts", s.extraHosts());
        ArrayNode mounts = o.putArray("mounts");
        for (MountSpec m : s.mounts()) {
            mounts.addObject().put("type", m.type().toString()).put("source", m.source()).put("target", m.target())
                    .put("readOnly", m.readOnly()).put("options", m.options());
        }
        o.put("readOnly", s.readOnly());
        ObjectNode labels = o.putObject("labels");
        s.labels().forEach(labels::put);
        o.put("stopSignal", s.stop().signal());
        o.put("stopTimeoutMillis", s.stop().grace().toMillis());
        strings(o, "ulimits", s.ulimits().stream().map(Ulimit::toString).toList());
        if (!s.security().isDefault()) {
            SecurityOptions sec = s.security();
            ObjectNode j = o.putObject("security");
            j.put("privileged", sec.privileged());
            strings(j, "capAdd", sec.capAdd());
            strings(j, "capDrop", sec.capDrop());
            j.put("seccomp", sec.seccomp());
            j.put("noNewPrivileges", sec.noNewPrivileges());
            strings(j, "devices", sec.devices().stream().map(DeviceMapping::toString).toList());
            ObjectNode sysctls = j.putObject("sysctls");
            sec.sysctls().forEach(sysctls::put);
            j.put("userns", sec.userns());
        }
        if (s.health() != null) {
            ObjectNode h = o.putObject("health");
            strings(h, "test", s.health().test());
            h.put("intervalMillis", s.health().interval().toMillis());
            h.put("timeoutMillis", s.health().timeout().toMillis());
            h.put("startPeriodMillis", s.health().startPeriod().toMillis());
            h.put("retries", s.health().retries());
        }
        return o.toString();
    }

    public static BoxSpec read(String json) {
        JsonNode o = ImageJson.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "box spec");
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
                security(o.path("security")));
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

    private static void strings(ObjectNode o, String key, List<String> values) {
        if (values == null) {
            o.putNull(key);
            return;
        }
        ArrayNode a = o.putArray(key);
        values.forEach(a::add);
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
