package io.krunbox.compose.convert;

import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.model.RestartPolicy;
import io.krunbox.runtime.model.Topology;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The normalized compose model as a runtime {@link Topology}: one box template per service. */
public final class TopologyCompiler {
    private TopologyCompiler() {}

    @SuppressWarnings("unchecked")
    public static Topology compile(Normalizer.Normalized n) {
        Map<String, Object> m = n.model();
        String project = n.name();
        Map<String, Object> networks = (Map<String, Object>) m.get("networks");
        Map<String, Object> volumes = (Map<String, Object>) m.get("volumes");
        List<Topology.Network> nets = new ArrayList<>();
        networks.forEach((key, v) -> {
            Map<String, Object> d = (Map<String, Object>) v;
            Map<String, Object> ipam = (Map<String, Object>) d.get("ipam");
            Map<String, Object> cfg = ipam == null ? Map.of() : ((List<Map<String, Object>>) ipam.get("config")).get(0);
            Map<String, String> labels = new TreeMap<>((Map<String, String>) d.getOrDefault("labels", Map.of()));
            labels.put(Topology.PROJECT_LABEL, project);
            nets.add(new Topology.Network(key, (String) d.get("name"), (String) cfg.get("subnet"), (String) cfg.get("gateway"),
                    Boolean.TRUE.equals(d.get("internal")), Boolean.TRUE.equals(d.get("external")), labels));
        });
        List<Topology.Volume> vols = new ArrayList<>();
        volumes.forEach((key, v) -> {
            Map<String, Object> d = (Map<String, Object>) v;
            Map<String, String> labels = new TreeMap<>((Map<String, String>) d.getOrDefault("labels", Map.of()));
            labels.put(Topology.PROJECT_LABEL, project);
            vols.add(new Topology.Volume(key, (String) d.get("name"), Boolean.TRUE.equals(d.get("external")), labels));
        });
        List<Topology.Secret> secrets = new ArrayList<>();
        for (String kind : List.of("secrets", "configs")) {
            ((Map<String, Object>) m.getOrDefault(kind, Map.of())).forEach((name, v) -> {
                Map<String, Object> d = (Map<String, Object>) v;
                String content = d.containsKey("content") ? (String) d.get("content")
                        : d.containsKey("environment") ? System.getenv().getOrDefault((String) d.get("environment"), "") : null;
                secrets.add(new Topology.Secret(kind + "/" + name, (String) d.get("file"), content));
            });
        }
        List<Topology.Service> services = new ArrayList<>();
        ((Map<String, Object>) m.get("services")).forEach((name, v) ->
                services.add(service(project, name, (Map<String, Object>) v, networks, volumes)));
        return new Topology(project, services, nets, vols, secrets);
    }

    @SuppressWarnings("unchecked")
    static Topology.Service service(String project, String name, Map<String, Object> s, Map<String, Object> networks,
                                    Map<String, Object> volumes) {
        BoxSpec.Builder b = BoxSpec.builder((String) s.get("image"));
        if (s.get("command") != null) {
            b.command((List<String>) s.get("command"));
        }
        if (s.get("entrypoint") != null) {
            b.entrypoint((List<String>) s.get("entrypoint"));
        }
        ((Map<String, String>) s.getOrDefault("environment", Map.of())).forEach((k, val) -> {
            if (val != null) {
                b.env(k + "=" + val);
            }
        });
        b.workdir((String) s.get("working_dir")).user((String) s.get("user")).hostname((String) s.get("hostname"));
        b.labels((Map<String, String>) s.getOrDefault("labels", Map.of()));
        b.label(Topology.PROJECT_LABEL, project).label(Topology.SERVICE_LABEL, name).label(Topology.HASH_LABEL, hash(s));
        if (s.get("restart") != null) {
            b.restart(RestartPolicy.parse((String) s.get("restart")));
        }
        Map<String, Object> limits = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                s.getOrDefault("deploy", Map.of())).getOrDefault("resources", Map.of())).getOrDefault("limits", Map.of());
        String cpus = (String) limits.getOrDefault("cpus", s.get("cpus"));
        if (cpus != null) {
            b.cpus(Math.max(1, (int) Math.ceil(Double.parseDouble(cpus))));
        }
        String memory = (String) limits.getOrDefault("memory", s.get("mem_limit"));
        if (memory != null) {
            b.memoryMib((int) Math.max(16, Long.parseLong(memory) >> 20));
        }
        Object pids = limits.getOrDefault("pids", s.get("pids_limit"));
        if (pids != null && ((Number) pids).longValue() > 0) {
            b.pidsLimit(((Number) pids).intValue());
        }
        b.readOnly(Boolean.TRUE.equals(s.get("read_only")));
        b.stopSignal((String) s.get("stop_signal"));
        if (s.get("stop_grace_period") != null) {
            b.stopTimeout(Syntax.duration((String) s.get("stop_grace_period")));
        }
        Ulimits.of((Map<String, Object>) s.getOrDefault("ulimits", Map.of())).forEach(b::ulimit);
        b.privileged(Boolean.TRUE.equals(s.get("privileged")));
        ((List<String>) s.getOrDefault("cap_add", List.of())).forEach(b::capAdd);
        ((List<String>) s.getOrDefault("cap_drop", List.of())).forEach(b::capDrop);
        for (String o : (List<String>) s.getOrDefault("security_opt", List.of())) {
            io.krunbox.runtime.model.SecurityOpt.apply(b, o,
                    file -> io.krunbox.runtime.security.SeccompProfile.readFile(java.nio.file.Path.of(file)));
        }
        ((List<String>) s.getOrDefault("devices", List.of())).forEach(d -> b.device(
                io.krunbox.runtime.model.DeviceMapping.parse(d)));
        ((Map<String, String>) s.getOrDefault("sysctls", Map.of())).forEach(b::sysctl);
        ((List<String>) s.getOrDefault("dns", List.of())).forEach(b::dns);
        ((List<String>) s.getOrDefault("extra_hosts", List.of())).forEach(b::extraHost);
        health(b, (Map<String, Object>) s.get("healthcheck"));
        for (Map<String, Object> p : (List<Map<String, Object>>) s.getOrDefault("ports", List.of())) {
            String published = (String) p.get("published");
            b.port(new PortMapping((String) p.get("host_ip"), published == null ? 0 : Integer.parseInt(published.split("-")[0]),
                    (Integer) p.get("target"), (String) p.get("protocol")));
        }
        for (Map<String, Object> v : (List<Map<String, Object>>) s.getOrDefault("volumes", List.of())) {
            boolean ro = Boolean.TRUE.equals(v.get("read_only"));
            switch ((String) v.get("type")) {
                case "bind" -> b.mount(new MountSpec(MountSpec.Type.BIND, (String) v.get("source"), (String) v.get("target"), ro, ""));
                case "tmpfs" -> {
                    Map<String, Object> t = (Map<String, Object>) v.get("tmpfs");
                    b.mount(MountSpec.parseTmpfs(v.get("target") + (t == null ? "" : ":size=" + t.get("size"))));
                }
                default -> {
                    String src = (String) v.get("source");
                    String real = src == null ? null : (String) ((Map<String, Object>) volumes.get(src)).get("name");
                    b.mount(new MountSpec(MountSpec.Type.VOLUME, real, (String) v.get("target"), ro, ""));
                }
            }
        }
        ((List<String>) s.getOrDefault("tmpfs", List.of())).forEach(t -> b.mount(MountSpec.parseTmpfs(t)));
        if ("none".equals(s.get("network_mode"))) {
            b.network(NetworkAttachment.NONE);
        } else {
            ((Map<String, Object>) s.getOrDefault("networks", Map.of())).forEach((key, cfg) -> {
                Map<String, Object> c = cfg == null ? Map.of() : (Map<String, Object>) cfg;
                List<String> aliases = new ArrayList<>(List.of(name));
                aliases.addAll((List<String>) c.getOrDefault("aliases", List.of()));
                String real = (String) ((Map<String, Object>) networks.get(key)).get("name");
                b.network(new NetworkAttachment(real, aliases, (String) c.get("ipv4_address")));
            });
        }
        Map<String, Topology.Dependency> deps = new LinkedHashMap<>();
        ((Map<String, Object>) s.getOrDefault("depends_on", Map.of())).forEach((dep, cfg) -> {
            Map<String, Object> c = (Map<String, Object>) cfg;
            deps.put(dep, new Topology.Dependency(Topology.Condition.valueOf(((String) c.get("condition"))
                    .replace("service_", "").toUpperCase(java.util.Locale.ROOT)), (Boolean) c.get("required")));
        });
        List<Topology.SecretMount> secrets = new ArrayList<>();
        for (String kind : List.of("secrets", "configs")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) s.getOrDefault(kind, List.of())) {
                secrets.add(new Topology.SecretMount(kind + "/" + r.get("source"),
                        Secrets.target(kind, (String) r.getOrDefault("target", r.get("source")))));
            }
        }
        Map<String, Object> deploy = (Map<String, Object>) s.getOrDefault("deploy", Map.of());
        int replicas = deploy.get("replicas") == null ? 1 : ((Number) deploy.get("replicas")).intValue();
        return new Topology.Service(name, b.build(), replicas, deps, (String) s.get("container_name"), secrets);
    }

    @SuppressWarnings("unchecked")
    private static void health(BoxSpec.Builder b, Map<String, Object> h) {
        if (h == null || Boolean.TRUE.equals(h.get("disable")) || h.get("test") == null) {
            return;
        }
        List<String> test = (List<String>) h.get("test");
        if (test.get(0).equals("NONE")) {
            return;
        }
        HealthCheck check = test.get(0).equals("CMD-SHELL") ? HealthCheck.shell(String.join(" ", test.subList(1, test.size())))
                : HealthCheck.exec(test.subList(1, test.size()).toArray(String[]::new));
        b.health(check.withTiming(
                h.get("interval") == null ? HealthCheck.DEFAULT_INTERVAL : Syntax.duration((String) h.get("interval")),
                h.get("timeout") == null ? HealthCheck.DEFAULT_TIMEOUT : Syntax.duration((String) h.get("timeout")),
                h.get("start_period") == null ? java.time.Duration.ZERO : Syntax.duration((String) h.get("start_period")),
                h.get("retries") == null ? HealthCheck.DEFAULT_RETRIES : ((Number) h.get("retries")).intValue()));
    }

    /**
     * A digest of the service's normalized config: a changed service is recreated, an unchanged one left alone.
     * An empty {@code volume: {}} (what the short syntax gives) means the same as none (the long syntax).
     */
    @SuppressWarnings("unchecked")
    static String hash(Map<String, Object> service) {
        Map<String, Object> s = new java.util.TreeMap<>(service);
        if (s.get("volumes") instanceof List<?> vols) {
            s.put("volumes", vols.stream().map(v -> {
                Map<String, Object> m = new java.util.TreeMap<>((Map<String, Object>) v);
                m.remove("volume", Map.of());
                return m;
            }).toList());
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(ConfigWriter.json(s).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", d[i] & 0xff));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
