package io.krunbox.compose.convert;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.DeviceMapping;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.model.RestartPolicy;
import io.krunbox.runtime.model.SecurityOpt;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.model.Ulimit;
import io.krunbox.runtime.security.SeccompProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The normalized compose model as a runtime {@link Topology}: one box template per service. */
public final class TopologyCompiler {
    private TopologyCompiler() {}

    public static Topology compile(Normalizer.Normalized n) {
        Node m = Node.of("", n.model());
        String project = n.name();
        Map<String, String> networkNames = new LinkedHashMap<>();
        List<Topology.Network> nets = new ArrayList<>();
        m.entries("networks").forEach((key, d) -> {
            List<Node> ipam = d.get("ipam").elements("config");
            Node cfg = ipam.isEmpty() ? Node.of(d.path() + ".ipam.config[0]", null) : ipam.get(0);
            networkNames.put(key, d.string("name"));
            nets.add(new Topology.Network(key, d.string("name"), cfg.string("subnet"), cfg.string("gateway"),
                    d.flag("internal"), d.flag("external"), projectLabels(d.stringMap("labels"), project)));
        });
        Map<String, String> volumeNames = new LinkedHashMap<>();
        List<Topology.Volume> vols = new ArrayList<>();
        m.entries("volumes").forEach((key, d) -> {
            volumeNames.put(key, d.string("name"));
            vols.add(new Topology.Volume(key, d.string("name"), d.flag("external"),
                    projectLabels(d.stringMap("labels"), project)));
        });
        List<Topology.Secret> secrets = new ArrayList<>();
        for (String kind : List.of("secrets", "configs")) {
            m.entries(kind).forEach((name, d) -> {
                String content = d.get("content").present() ? d.string("content")
                        : d.get("environment").present() ? Invocation.current().env().getOrDefault(d.string("environment"), "") : null;
                secrets.add(new Topology.Secret(kind + "/" + name, d.string("file"), content));
            });
        }
        List<Topology.Service> services = new ArrayList<>();
        m.entries("services").forEach((name, s) -> services.add(
                service(project, ServiceModel.of(name, s), networkNames, volumeNames)));
        return new Topology(project, services, nets, vols, secrets);
    }

    private static Map<String, String> projectLabels(Map<String, String> labels, String project) {
        Map<String, String> out = new TreeMap<>(labels);
        out.put(Topology.PROJECT_LABEL, project);
        return out;
    }

    static Topology.Service service(String project, ServiceModel s, Map<String, String> networkNames,
                                    Map<String, String> volumeNames) {
        // a service that is built and names no image gets <project>-<service>, as Docker Compose names it
        BoxSpec.Builder b = BoxSpec.builder(s.image() != null ? s.image() : project + "-" + s.name());
        if (s.command() != null) {
            b.command(s.command());
        }
        if (s.entrypoint() != null) {
            b.entrypoint(s.entrypoint());
        }
        s.environment().forEach((k, val) -> {
            if (val != null) {
                b.env(k + "=" + val);
            }
        });
        b.workdir(s.workingDir()).user(s.user()).hostname(s.hostname());
        b.labels(s.labels());
        b.label(Topology.PROJECT_LABEL, project).label(Topology.SERVICE_LABEL, s.name());
        if (s.restart() != null) {
            b.restart(RestartPolicy.parse(s.restart()));
        }
        if (s.cpus() != null) {
            b.cpus(Math.max(1, (int) Math.ceil(Double.parseDouble(s.cpus()))));
        }
        if (s.memory() != null) {
            b.memoryMib((int) Math.max(16, Long.parseLong(s.memory()) >> 20));
        }
        if (s.pids() != null && s.pids() > 0) {
            b.pidsLimit(s.pids().intValue());
        }
        b.readOnly(s.readOnly());
        b.stopSignal(s.stopSignal());
        if (s.stopGracePeriod() != null) {
            b.stopTimeout(Syntax.duration(s.stopGracePeriod()));
        }
        s.ulimits().forEach((name, u) -> b.ulimit(new Ulimit(name, u.soft(), u.hard())));
        if (!s.logOptions().isEmpty()) {
            b.log(io.krunbox.runtime.model.LogPolicy.parse(s.logOptions(), io.krunbox.runtime.model.LogPolicy.DEFAULT));
        }
        b.privileged(s.privileged());
        s.capAdd().forEach(b::capAdd);
        s.capDrop().forEach(b::capDrop);
        for (String o : s.securityOpt()) {
            SecurityOpt.apply(b, o, file -> SeccompProfile.readFile(Path.of(file)));
        }
        s.devices().forEach(d -> b.device(DeviceMapping.parse(d)));
        s.sysctls().forEach(b::sysctl);
        s.dns().forEach(b::dns);
        s.extraHosts().forEach(b::extraHost);
        health(b, s.healthcheck());
        for (ServiceModel.Port p : s.ports()) {
            b.port(new PortMapping(p.hostIp(), p.published() == null ? 0 : Integer.parseInt(p.published().split("-")[0]),
                    p.target(), p.protocol()));
        }
        for (ServiceModel.Volume v : s.volumes()) {
            switch (v.type()) {
                case "bind" -> b.mount(new MountSpec(MountSpec.Type.BIND, v.source(), v.target(), v.readOnly(), ""));
                case "tmpfs" -> b.mount(MountSpec.parseTmpfs(v.target() + (v.tmpfsSize() == null ? "" : ":size=" + v.tmpfsSize())));
                default -> b.mount(new MountSpec(MountSpec.Type.VOLUME, v.source() == null ? null : volumeNames.get(v.source()),
                        v.target(), v.readOnly(), ""));
            }
        }
        s.tmpfs().forEach(t -> b.mount(MountSpec.parseTmpfs(t)));
        if ("none".equals(s.networkMode())) {
            b.network(NetworkAttachment.NONE);
        } else {
            s.networks().forEach((key, ref) -> {
                List<String> aliases = new ArrayList<>(List.of(s.name()));
                aliases.addAll(ref.aliases());
                b.network(new NetworkAttachment(networkNames.get(key), aliases, ref.ipv4Address()));
            });
        }
        Map<String, Topology.Dependency> deps = new LinkedHashMap<>();
        s.dependsOn().forEach((dep, d) -> deps.put(dep, new Topology.Dependency(Topology.Condition.valueOf(
                d.condition().replace("service_", "").toUpperCase(Locale.ROOT)), d.required())));
        List<Topology.SecretMount> secrets = new ArrayList<>();
        s.secrets().forEach(r -> secrets.add(new Topology.SecretMount("secrets/" + r.source(), Secrets.target("secrets", r.target()))));
        s.configs().forEach(r -> secrets.add(new Topology.SecretMount("configs/" + r.source(), Secrets.target("configs", r.target()))));
        return new Topology.Service(s.name(), b.build(), s.replicas(), deps, s.containerName(), secrets, s.build());
    }

    private static void health(BoxSpec.Builder b, ServiceModel.Health h) {
        if (h == null || h.disable() || h.test() == null || h.test().get(0).equals("NONE")) {
            return;
        }
        List<String> test = h.test();
        HealthCheck check = test.get(0).equals("CMD-SHELL") ? HealthCheck.shell(String.join(" ", test.subList(1, test.size())))
                : HealthCheck.exec(test.subList(1, test.size()).toArray(String[]::new));
        b.health(check.withTiming(
                h.interval() == null ? HealthCheck.DEFAULT_INTERVAL : Syntax.duration(h.interval()),
                h.timeout() == null ? HealthCheck.DEFAULT_TIMEOUT : Syntax.duration(h.timeout()),
                h.startPeriod() == null ? Duration.ZERO : Syntax.duration(h.startPeriod()),
                h.retries() == null ? HealthCheck.DEFAULT_RETRIES : h.retries().intValue())
                .withStartInterval(h.startInterval() == null ? Duration.ZERO : Syntax.duration(h.startInterval())));
    }
}
