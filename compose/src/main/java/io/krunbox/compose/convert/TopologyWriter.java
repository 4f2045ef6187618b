package io.krunbox.compose.convert;

import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.DeviceMapping;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.model.RestartPolicy;
import io.krunbox.runtime.model.SecurityOptions;
import io.krunbox.runtime.model.StopPolicy;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.model.Ulimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Topology} as a compose document that compiles back to an equal Topology: what
 * {@code compose -f topology.groovy} and {@code convert --to compose} hand to the compose loader
 * for a topology built in Java or the DSL. Only what a Topology holds is written (no profiles:
 * the topology has already chosen its boxes).
 */
public final class TopologyWriter {
    private static final List<String> OWN_LABELS = List.of(Topology.PROJECT_LABEL, Topology.SERVICE_LABEL,
            Topology.HASH_LABEL);

    private TopologyWriter() {}

    public static Map<String, Object> document(Topology t) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", t.project());
        Map<String, String> networkKeys = new TreeMap<>();
        Map<String, Object> networks = new LinkedHashMap<>();
        for (Topology.Network n : t.networks()) {
            networkKeys.put(n.name(), n.key());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", n.name());
            if (n.external()) {
                d.put("external", true);
            }
            if (n.internal()) {
                d.put("internal", true);
            }
            Map<String, Object> ipam = new LinkedHashMap<>();
            put(ipam, "subnet", n.subnet());
            put(ipam, "gateway", n.gateway());
            if (!ipam.isEmpty()) {
                d.put("ipam", Map.of("config", List.of(ipam)));
            }
            putLabels(d, n.labels());
            networks.put(n.key(), d);
        }
        Map<String, String> volumeKeys = new TreeMap<>();
        Map<String, Object> volumes = new LinkedHashMap<>();
        for (Topology.Volume v : t.volumes()) {
            volumeKeys.put(v.name(), v.key());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", v.name());
            if (v.external()) {
                d.put("external", true);
            }
            putLabels(d, v.labels());
            volumes.put(v.key(), d);
        }
        Map<String, Object> services = new LinkedHashMap<>();
        for (Topology.Service s : t.services()) {
            services.put(s.name(), service(s, networkKeys, volumeKeys));
        }
        doc.put("services", services);
        if (!networks.isEmpty()) {
            doc.put("networks", networks);
        }
        if (!volumes.isEmpty()) {
            doc.put("volumes", volumes);
        }
        for (String kind : List.of("secrets", "configs")) {
            Map<String, Object> defs = new LinkedHashMap<>();
            for (Topology.Secret sec : t.secrets()) {
                if (sec.name().startsWith(kind + "/")) {
                    defs.put(sec.name().substring(kind.length() + 1), sec.file() != null ? Map.of("file", sec.file())
                            : Map.of("content", sec.content() == null ? "" : sec.content()));
                }
            }
            if (!defs.isEmpty()) {
                doc.put(kind, defs);
            }
        }
        return doc;
    }

    private static Map<String, Object> service(Topology.Service s, Map<String, String> networkKeys,
                                               Map<String, String> volumeKeys) {
        BoxSpec b = s.template();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("image", b.image());
        if (s.build() != null) {
            d.put("build", build(s.build()));
        }
        put(d, "entrypoint", b.entrypoint());
        put(d, "command", b.command());
        if (!b.env().isEmpty()) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String e : b.env()) {
                env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
            }
            d.put("environment", env);
        }
        put(d, "working_dir", b.workdir());
        put(d, "user", b.user());
        put(d, "hostname", b.hostname());
        putLabels(d, b.labels());
        if (!b.restart().equals(RestartPolicy.NO)) {
            d.put("restart", b.restart().toString());
        }
        if (b.cpus() != BoxSpec.DEFAULT_CPUS) {
            d.put("cpus", String.valueOf(b.cpus()));
        }
        if (b.memoryMib() != BoxSpec.DEFAULT_MEMORY_MIB) {
            d.put("mem_limit", b.memoryMib() + "m");
        }
        if (b.pidsLimit() > 0) {
            d.put("pids_limit", b.pidsLimit());
        }
        if (b.readOnly()) {
            d.put("read_only", true);
        }
        if (!b.stop().signal().equals(StopPolicy.DEFAULT.signal())) {
            d.put("stop_signal", b.stop().signal());
        }
        if (!b.stop().grace().equals(StopPolicy.DEFAULT.grace())) {
            d.put("stop_grace_period", duration(b.stop().grace()));
        }
        if (!b.ulimits().isEmpty()) {
            Map<String, Object> ulimits = new LinkedHashMap<>();
            for (Ulimit u : b.ulimits()) {
                ulimits.put(u.name(), Map.of("soft", u.soft(), "hard", u.hard()));
            }
            d.put("ulimits", ulimits);
        }
        if (!b.log().equals(io.krunbox.runtime.model.LogPolicy.DEFAULT)) {
            d.put("logging", Map.of("driver", "local", "options", Map.of("max-size", b.log().maxBytes() + "b",
                    "max-file", String.valueOf(b.log().maxFiles()))));
        }
        security(d, s.name(), b.security());
        if (!b.dns().isEmpty()) {
            d.put("dns", b.dns());
        }
        if (!b.extraHosts().isEmpty()) {
            d.put("extra_hosts", b.extraHosts());
        }
        if (b.health() != null) {
            d.put("healthcheck", health(b.health()));
        }
        if (!b.ports().isEmpty()) {
            List<Object> ports = new ArrayList<>();
            for (PortMapping p : b.ports()) {
                Map<String, Object> port = new LinkedHashMap<>();
                port.put("target", p.boxPort());
                if (p.hostPort() != 0) {
                    port.put("published", String.valueOf(p.hostPort()));
                }
                put(port, "host_ip", p.hostIp());
                port.put("protocol", p.protocol());
                ports.add(port);
            }
            d.put("ports", ports);
        }
        List<Object> volumes = new ArrayList<>();
        List<String> tmpfs = new ArrayList<>();
        for (MountSpec m : b.mounts()) {
            switch (m.type()) {
                case TMPFS -> tmpfs.add(m.options().equals(MountSpec.parseTmpfs(m.target()).options()) ? m.target()
                        : m.target() + ":" + m.options());
                case BIND, VOLUME -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("type", m.type() == MountSpec.Type.BIND ? "bind" : "volume");
                    if (m.source() != null) {
                        v.put("source", m.type() == MountSpec.Type.BIND ? m.source() : volumeKey(s.name(), m, volumeKeys));
                    }
                    v.put("target", m.target());
                    if (m.readOnly()) {
                        v.put("read_only", true);
                    }
                    volumes.add(v);
                }
                default -> throw new IllegalArgumentException("box " + s.name() + ": a " + m.type().name()
                        .toLowerCase(Locale.ROOT) + " mount at " + m.target() + " has no compose form");
            }
        }
        if (!volumes.isEmpty()) {
            d.put("volumes", volumes);
        }
        if (!tmpfs.isEmpty()) {
            d.put("tmpfs", tmpfs);
        }
        if (b.networks().get(0).network().equals(NetworkAttachment.NONE)) {
            d.put("network_mode", "none");
        } else {
            Map<String, Object> nets = new LinkedHashMap<>();
            for (NetworkAttachment n : b.networks()) {
                String key = networkKeys.get(n.network());
                if (key == null) {
                    throw new IllegalArgumentException("box " + s.name() + " is on network " + n.network()
                            + ", which the topology does not define");
                }
                Map<String, Object> ref = new LinkedHashMap<>();
                List<String> aliases = new ArrayList<>(n.aliases());
                aliases.remove(s.name());
                if (!aliases.isEmpty()) {
                    ref.put("aliases", aliases);
                }
                put(ref, "ipv4_address", n.ip());
                nets.put(key, ref.isEmpty() ? null : ref);
            }
            d.put("networks", nets);
        }
        if (!s.dependsOn().isEmpty()) {
            Map<String, Object> deps = new TreeMap<>();
            s.dependsOn().forEach((name, dep) -> deps.put(name, Map.of("condition",
                    "service_" + dep.condition().name().toLowerCase(Locale.ROOT), "required", dep.required())));
            d.put("depends_on", deps);
        }
        if (s.replicas() != 1) {
            d.put("deploy", Map.of("replicas", s.replicas()));
        }
        put(d, "container_name", s.containerName());
        for (String kind : List.of("secrets", "configs")) {
            List<Object> refs = new ArrayList<>();
            for (Topology.SecretMount m : s.secrets()) {
                if (m.secret().startsWith(kind + "/")) {
                    refs.add(Map.of("source", m.secret().substring(kind.length() + 1), "target", m.target()));
                }
            }
            if (!refs.isEmpty()) {
                d.put(kind, refs);
            }
        }
        return d;
    }

    private static String volumeKey(String service, MountSpec m, Map<String, String> volumeKeys) {
        String key = volumeKeys.get(m.source());
        if (key == null) {
            throw new IllegalArgumentException("box " + service + " mounts volume " + m.source()
                    + ", which the topology does not define");
        }
        return key;
    }

    private static void security(Map<String, Object> d, String service, SecurityOptions o) {
        if (o.privileged()) {
            d.put("privileged", true);
        }
        if (!o.capAdd().isEmpty()) {
            d.put("cap_add", o.capAdd());
        }
        if (!o.capDrop().isEmpty()) {
            d.put("cap_drop", o.capDrop());
        }
        List<String> opts = new ArrayList<>();
        if (o.seccomp() != null) {
            if (!o.seccomp().equals(SecurityOptions.UNCONFINED)) {
                throw new IllegalArgumentException("box " + service + " has its own seccomp profile, which a compose"
                        + " document can only name by file: use the profile's file in a compose file instead");
            }
            opts.add("seccomp=unconfined");
        }
        if (o.noNewPrivileges()) {
            opts.add("no-new-privileges:true");
        }
        if (!opts.isEmpty()) {
            d.put("security_opt", opts);
        }
        if (!o.devices().isEmpty()) {
            d.put("devices", o.devices().stream().map(DeviceMapping::toString).toList());
        }
        if (!o.sysctls().isEmpty()) {
            d.put("sysctls", new TreeMap<>(o.sysctls()));
        }
    }

    private static Map<String, Object> health(HealthCheck h) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<String> t = h.test();
        List<String> test = new ArrayList<>();
        if (t.size() == 3 && t.get(0).equals("sh") && t.get(1).equals("-c")) {
            test.add("CMD-SHELL");
            test.add(t.get(2));
        } else {
            test.add("CMD");
            test.addAll(t);
        }
        d.put("test", test);
        if (!h.interval().equals(HealthCheck.DEFAULT_INTERVAL)) {
            d.put("interval", duration(h.interval()));
        }
        if (!h.timeout().equals(HealthCheck.DEFAULT_TIMEOUT)) {
            d.put("timeout", duration(h.timeout()));
        }
        if (!h.startPeriod().isZero()) {
            d.put("start_period", duration(h.startPeriod()));
        }
        if (!h.startInterval().isZero()) {
            d.put("start_interval", duration(h.startInterval()));
        }
        if (h.retries() != HealthCheck.DEFAULT_RETRIES) {
            d.put("retries", h.retries());
        }
        return d;
    }

    private static String duration(Duration d) {
        return d.toNanosPart() % 1_000_000 != 0 ? d.toNanos() + "ns"
                : d.toMillisPart() != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    private static void putLabels(Map<String, Object> d, Map<String, String> labels) {
        Map<String, String> own = new TreeMap<>(labels);
        OWN_LABELS.forEach(own::remove);
        if (!own.isEmpty()) {
            d.put("labels", own);
        }
    }

    private static void put(Map<String, Object> d, String key, Object value) {
        if (value != null) {
            d.put(key, value);
        }
    }

    private static Map<String, Object> build(io.krunbox.runtime.model.BuildConfig b) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("context", b.context());
        if (b.dockerfileInline() != null) {
            d.put("dockerfile_inline", b.dockerfileInline());
        } else if (b.dockerfile() != null) {
            d.put("dockerfile", b.dockerfile());
        }
        if (!b.args().isEmpty()) {
            d.put("args", new java.util.TreeMap<>(b.args()));
        }
        if (b.target() != null) {
            d.put("target", b.target());
        }
        if (!b.labels().isEmpty()) {
            d.put("labels", new java.util.TreeMap<>(b.labels()));
        }
        if (!b.tags().isEmpty()) {
            d.put("tags", b.tags());
        }
        if (!b.secrets().isEmpty()) {
            List<Object> secrets = new ArrayList<>();
            b.secrets().forEach((id, source) -> secrets.add(id.equals(source) ? source
                    : new LinkedHashMap<>(Map.of("source", source, "target", id))));
            d.put("secrets", secrets);
        }
        if (b.noCache()) {
            d.put("no_cache", true);
        }
        if (b.pull()) {
            d.put("pull", true);
        }
        return d;
    }
}
