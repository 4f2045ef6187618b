package io.krunbox.compose.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service of the normalized compose model, typed: what {@link TopologyCompiler} turns into a
 * box template. Every field is as the normalizer left it (sizes in bytes, durations as text,
 * relative paths resolved); absent keys are null or empty.
 */
record ServiceModel(String name, String image, List<String> command, List<String> entrypoint,
                    Map<String, String> environment, String workingDir, String user, String hostname,
                    Map<String, String> labels, String restart, String cpus, String memory, Long pids, boolean readOnly,
                    String stopSignal, String stopGracePeriod, Map<String, Ulimit> ulimits, boolean privileged,
                    List<String> capAdd, List<String> capDrop, List<String> securityOpt, List<String> devices,
                    Map<String, String> sysctls, List<String> dns, List<String> extraHosts, Health healthcheck,
                    List<Port> ports, List<Volume> volumes, List<String> tmpfs, String networkMode,
                    Map<String, NetworkRef> networks, Map<String, Dependency> dependsOn, List<FileRef> secrets,
                    List<FileRef> configs, int replicas, String containerName, List<String> logOptions,
                    io.krunbox.runtime.model.BuildConfig build) {

    record Ulimit(long soft, long hard) {}

    record Health(List<String> test, String interval, String timeout, String startPeriod, Long retries,
                  boolean disable, String startInterval) {}

    record Port(String hostIp, String published, int target, String protocol) {}

    record Volume(String type, String source, String target, boolean readOnly, String tmpfsSize) {}

    record NetworkRef(List<String> aliases, String ipv4Address) {}

    record Dependency(String condition, boolean required) {}

    record FileRef(String source, String target) {}

    static ServiceModel of(String name, Node s) {
        Node limits = s.get("deploy").get("resources").get("limits");
        Map<String, Ulimit> ulimits = new LinkedHashMap<>();
        s.entries("ulimits").forEach((k, v) -> ulimits.put(k, v.isMapping()
                ? new Ulimit(v.number("soft"), v.number("hard")) : new Ulimit(v.number(), v.number())));
        Node h = s.get("healthcheck");
        Health health = h.present() ? new Health(h.strings("test"), h.string("interval"), h.string("timeout"),
                h.string("start_period"), h.number("retries"), h.flag("disable"), h.string("start_interval")) : null;
        List<Port> ports = new ArrayList<>();
        for (Node p : s.elements("ports")) {
            ports.add(new Port(p.string("host_ip"), p.string("published"), p.number("target").intValue(),
                    p.string("protocol")));
        }
        List<Volume> volumes = new ArrayList<>();
        for (Node v : s.elements("volumes")) {
            Node size = v.get("tmpfs").get("size");
            volumes.add(new Volume(v.string("type"), v.string("source"), v.string("target"), v.flag("read_only"),
                    size.text()));
        }
        Map<String, NetworkRef> networks = new LinkedHashMap<>();
        s.entries("networks").forEach((k, v) -> networks.put(k, new NetworkRef(
                v.strings("aliases") == null ? List.of() : v.strings("aliases"), v.string("ipv4_address"))));
        Map<String, Dependency> deps = new LinkedHashMap<>();
        s.entries("depends_on").forEach((k, v) -> deps.put(k, new Dependency(v.string("condition"), v.flag("required"))));
        Long replicas = s.get("deploy").number("replicas");
        return new ServiceModel(name, s.string("image"), s.strings("command"), s.strings("entrypoint"),
                s.stringMap("environment"), s.string("working_dir"), s.string("user"), s.string("hostname"),
                s.stringMap("labels"), s.string("restart"), first(limits.get("cpus").text(), s.get("cpus").text()),
                first(limits.string("memory"), s.string("mem_limit")),
                limits.get("pids").present() ? limits.number("pids") : s.number("pids_limit"), s.flag("read_only"),
                s.string("stop_signal"), s.string("stop_grace_period"), ulimits, s.flag("privileged"),
                orEmpty(s.strings("cap_add")), orEmpty(s.strings("cap_drop")), orEmpty(s.strings("security_opt")),
                devices(s), s.stringMap("sysctls"), orEmpty(s.strings("dns")),
                orEmpty(s.strings("extra_hosts")).stream().map(host -> host.replaceFirst("=", ":")).toList(), health, ports, volumes, orEmpty(s.strings("tmpfs")),
                s.string("network_mode"), networks, deps, refs(s, "secrets"), refs(s, "configs"),
                replicas == null ? 1 : replicas.intValue(), s.string("container_name"), logOptions(s), build(s.get("build")));
    }

    /** The build: section in its long form, or null. Secrets name the project's secrets by source. */
    private static io.krunbox.runtime.model.BuildConfig build(Node b) {
        if (!b.present()) {
            return null;
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Node s : b.elements("secrets")) {
            String id = s.string("target") != null ? s.string("target") : s.string("source");
            secrets.put(id, s.string("source"));
        }
        return new io.krunbox.runtime.model.BuildConfig(b.string("context"), b.string("dockerfile"),
                b.string("dockerfile_inline"), b.stringMap("args"), b.string("target"), b.stringMap("labels"),
                orEmpty(b.strings("tags")), secrets, b.flag("no_cache"), b.flag("pull"));
    }

    /** {@code max-size=..}, {@code max-file=..} of a file driver's logging options (none for other drivers). */
    private static List<String> logOptions(Node s) {
        Node l = s.get("logging");
        String driver = l.string("driver");
        List<String> out = new ArrayList<>();
        if (l.present() && (driver == null || ServiceNormalizer.FILE_DRIVERS.contains(driver))) {
            l.stringMap("options").forEach((k, val) -> {
                if (k.equals("max-size") || k.equals("max-file")) {
                    out.add(k + "=" + val);
                }
            });
        }
        return out;
    }

    private static List<FileRef> refs(Node s, String kind) {
        List<FileRef> out = new ArrayList<>();
        for (Node r : s.elements(kind)) {
            out.add(new FileRef(r.string("source"), r.get("target").present() ? r.string("target") : r.string("source")));
        }
        return out;
    }

    /** {@code HOST:BOX:PERMS}, from the long form the model holds. */
    private static List<String> devices(Node s) {
        List<String> out = new ArrayList<>();
        for (Node d : s.elements("devices")) {
            out.add(d.string("source") + ":" + d.string("target") + ":" + d.string("permissions"));
        }
        return out;
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
