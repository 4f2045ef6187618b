package io.krunbox.kube.generate;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.HostAliasBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.HealthCheck;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.model.RestartPolicy;
import io.krunbox.runtime.model.SecurityOptions;
import io.krunbox.runtime.model.StopPolicy;
import io.krunbox.runtime.model.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A {@link Topology} as Kubernetes objects: for each service a workload of the chosen kind, a
 * Service per port set (named by the service, so its name resolves in the cluster as on the
 * bridge) and one per network alias, PersistentVolumeClaims for named volumes, Secrets and
 * ConfigMaps for secrets and configs. Whatever Kubernetes cannot hold is a {@link Loss}, also
 * written on the workload as the {@value #LOSSES} annotation.
 */
public final class KubeGenerator {
    public static final String LOSSES = "krunbox.io/not-expressed";
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    public static final String PROJECT_LABEL = "app.kubernetes.io/part-of";
    /** The Service of a service's published ports: {@code <name>-published}, LoadBalancer, host port to box port. */
    public static final String PUBLISHED_SUFFIX = "-published";
    /** The image of the init containers that wait for a healthy dependency. */
    public static final String WAIT_IMAGE = "busybox:1.36";
    /**
     * On a pod template: {@code db=service_healthy,migrate=service_completed_successfully}, the
     * dependencies its {@code wait-for-*} and {@code run-*} init containers stand for ({@code kube play} reads them back).
     */
    public static final String DEPENDS_ON = "krunbox.io/depends-on";
    static final long MAX_SECRET_BYTES = 1 << 20;

    private final GenerateOptions options;
    private final Function<String, List<String>> exposedPorts;
    private Function<String, Map<String, String>> envFiles = s -> Map.of();
    private final List<HasMetadata> out = new ArrayList<>();
    private final List<Loss> losses = new ArrayList<>();

    /** @param exposedPorts a service's ports beyond its published ones ({@code 6379/tcp}: expose, the image's) */
    public KubeGenerator(GenerateOptions options, Function<String, List<String>> exposedPorts) {
        this.options = options;
        this.exposedPorts = exposedPorts;
    }

    /** A service's env_file variables: written as a ConfigMap {@code env-SERVICE} the container takes with envFrom. */
    public KubeGenerator withEnvFiles(Function<String, Map<String, String>> vars) {
        this.envFiles = vars;
        return this;
    }

    public record Result(List<HasMetadata> objects, List<Loss> losses) {}

    public Result generate(Topology t) {
        List<Topology.Service> chosen = new ArrayList<>();
        for (Topology.Service s : t.services()) {
            if (options.services().isEmpty() || options.services().contains(s.name())) {
                chosen.add(s);
            }
        }
        for (String wanted : options.services()) {
            if (t.services().stream().noneMatch(s -> s.name().equals(wanted))) {
                throw new IllegalArgumentException("no service " + wanted + " in project " + t.project() + ": give one of "
                        + t.services().stream().map(Topology.Service::name).toList());
            }
        }
        long bridged = t.networks().stream().filter(n -> !n.external()).count();
        if (bridged > 1) {
            losses.add(new Loss(null, "networks", "the pods of a namespace share one network: "
                    + t.networks().stream().map(Topology.Network::key).toList() + " become one"));
        }
        for (Topology.Network n : t.networks()) {
            if (n.internal()) {
                losses.add(new Loss(null, "networks." + n.key() + ".internal", "no NetworkPolicy is written: its pods can"
                        + " reach outside"));
            }
        }
        Map<String, String> volumeKeys = new TreeMap<>();
        t.volumes().forEach(v -> volumeKeys.put(v.name(), v.key()));
        Set<String> usedVolumes = new LinkedHashSet<>();
        Set<String> usedSecrets = new LinkedHashSet<>();
        for (Topology.Service s : chosen) {
            s.template().mounts().stream().filter(m -> m.type() == MountSpec.Type.VOLUME && m.source() != null)
                    .forEach(m -> usedVolumes.add(m.source()));
            s.secrets().forEach(m -> usedSecrets.add(m.secret()));
        }
        for (Topology.Volume v : t.volumes()) {
            if (!usedVolumes.contains(v.name())) {
                continue;
            }
            if (v.external()) {
                losses.add(new Loss(null, "volumes." + v.key() + ".external", "a PersistentVolumeClaim " + dns(v.key())
                        + " must exist in the cluster"));
                continue;
            }
            out.add(new PersistentVolumeClaimBuilder().withMetadata(meta(dns(v.key()), t.project(), null))
                    .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                    .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build());
        }
        for (Topology.Secret sec : t.secrets()) {
            if (usedSecrets.contains(sec.name())) {
                secret(sec, t.project());
            }
        }
        for (Topology.Service s : chosen) {
            Map<String, String> vars = envFiles.apply(s.name());
            if (!vars.isEmpty()) {
                out.add(new ConfigMapBuilder().withMetadata(meta("env-" + dns(s.name()), t.project(), null))
                        .withData(new TreeMap<>(vars)).build());
            }
            service(t, s, volumeKeys);
        }
        return new Result(List.copyOf(out), List.copyOf(losses));
    }

    private void secret(Topology.Secret sec, String project) {
        boolean isConfig = sec.name().startsWith("configs/");
        String name = sec.name().substring(sec.name().indexOf('/') + 1);
        byte[] content;
        if (sec.file() != null) {
            Path f = Path.of(sec.file());
            String what = (isConfig ? "config " : "secret ") + name;
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(what + ": " + f + " is not a regular file");
            }
            try (java.io.InputStream in = Files.newInputStream(f)) {
                content = in.readNBytes((int) MAX_SECRET_BYTES + 1);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(what + ": cannot read " + f + ": " + e.getMessage());
            }
            if (content.length > MAX_SECRET_BYTES) {
                throw new IllegalArgumentException(what + ": " + f + " is larger than 1 MiB, which a Kubernetes object"
                        + " cannot hold");
            }
        } else {
            content = (sec.content() == null ? "" : sec.content()).getBytes(StandardCharsets.UTF_8);
        }
        ObjectMeta meta = meta(objectName(sec.name()), project, null);
        if (isConfig) {
            String text = utf8(content);
            out.add(text != null ? new ConfigMapBuilder().withMetadata(meta).addToData(name, text).build()
                    : new ConfigMapBuilder().withMetadata(meta).addToBinaryData(name,
                    Base64.getEncoder().encodeToString(content)).build());
        } else {
            out.add(new SecretBuilder().withMetadata(meta).withType("Opaque").addToData(name,
                    Base64.getEncoder().encodeToString(content)).build());
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException binary) {
            return null;
        }
    }

    static String objectName(String secret) {
        return (secret.startsWith("configs/") ? "config-" : "secret-") + dns(secret.substring(secret.indexOf('/') + 1));
    }

    private void service(Topology t, Topology.Service s, Map<String, String> volumeKeys) {
        String name = dns(s.name());
        BoxSpec b = s.template();
        List<Loss> mine = new ArrayList<>();
        Map<String, String> selector = new TreeMap<>(Map.of(NAME_LABEL, name, PROJECT_LABEL, label(t.project())));
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        mounts(s, volumeKeys, volumes, mounts, mine);
        Container main = container(s, b, mounts, mine);
        List<Container> inits = new ArrayList<>();
        new TreeMap<>(s.dependsOn()).forEach((dep, d) -> {
            Topology.Service other = t.services().stream().filter(x -> x.name().equals(dep)).findFirst().orElseThrow();
            switch (d.condition()) {
                case HEALTHY -> {
                    // a Service sends to ready pods only, and a headless one resolves to them only: either waits for health
                    List<int[]> ports = ports(other);
                    String until = ports.isEmpty() ? "nslookup " + dns(dep) + " >/dev/null 2>&1"
                            : "nc -z -w 2 " + dns(dep) + " " + ports.get(0)[0];
                    inits.add(new ContainerBuilder().withName("wait-for-" + dns(dep)).withImage(WAIT_IMAGE)
                            .withCommand("sh", "-c", "until " + until + "; do sleep 1; done").build());
                }
                case COMPLETED_SUCCESSFULLY -> {
                    List<Loss> ignored = new ArrayList<>();
                    List<VolumeMount> depMounts = new ArrayList<>();
                    mounts(other, volumeKeys, volumes, depMounts, ignored);
                    Container c = container(other, other.template(), depMounts, ignored);
                    c.setName("run-" + dns(dep));
                    c.setReadinessProbe(null);
                    c.setLivenessProbe(null);
                    c.setPorts(List.of());
                    inits.add(c);
                }
                default -> mine.add(new Loss(s.name(), "depends_on." + dep, "service_started: Kubernetes starts pods"
                        + " in any order"));
            }
        });
        PodSpecBuilder pod = new PodSpecBuilder().withContainers(main).withInitContainers(inits)
                .withVolumes(dedupe(volumes)).withRuntimeClassName(options.runtimeClass())
                .withHostname(b.hostname())
                .withTerminationGracePeriodSeconds(Math.max(0, b.stop().grace().toSeconds()));
        if (!b.dns().isEmpty()) {
            pod.withDnsConfig(new PodDNSConfigBuilder().withNameservers(b.dns()).build());
        }
        if (!b.extraHosts().isEmpty()) {
            Map<String, List<String>> byIp = new LinkedHashMap<>();
            for (String h : b.extraHosts()) {
                int c = h.lastIndexOf(':');
                byIp.computeIfAbsent(h.substring(c + 1), k -> new ArrayList<>()).add(h.substring(0, c));
            }
            List<HostAlias> aliases = new ArrayList<>();
            byIp.forEach((ip, names) -> aliases.add(new HostAliasBuilder().withIp(ip).withHostnames(names).build()));
            pod.withHostAliases(aliases);
        }
        if (!b.security().sysctls().isEmpty()) {
            List<Sysctl> sysctls = new ArrayList<>();
            new TreeMap<>(b.security().sysctls()).forEach((k, v) -> sysctls.add(new Sysctl(k, v)));
            pod.withSecurityContext(new PodSecurityContextBuilder().withSysctls(sysctls).build());
        }
        RestartPolicy.Mode restart = b.restart().mode();
        String restartPolicy = switch (options.type()) {
            case POD -> restart == RestartPolicy.Mode.ON_FAILURE ? "OnFailure" : restart == RestartPolicy.Mode.NO ? "Never"
                    : "Always";
            case JOB -> restart == RestartPolicy.Mode.ON_FAILURE ? "OnFailure" : "Never";
            default -> "Always";
        };
        pod.withRestartPolicy(restartPolicy);
        if (options.type() == GenerateOptions.WorkloadType.JOB && (restart == RestartPolicy.Mode.ALWAYS
                || restart == RestartPolicy.Mode.UNLESS_STOPPED)) {
            mine.add(new Loss(s.name(), "restart", b.restart() + ": a Job's pods run to completion"));
        }
        if (options.type() != GenerateOptions.WorkloadType.POD && options.type() != GenerateOptions.WorkloadType.JOB
                && restart == RestartPolicy.Mode.ON_FAILURE) {
            mine.add(new Loss(s.name(), "restart", b.restart() + ": a " + kindName() + "'s pods always restart"));
        }
        if (!b.stop().signal().equals(StopPolicy.DEFAULT.signal())) {
            mine.add(new Loss(s.name(), "stop_signal", b.stop().signal() + ": Kubernetes stops with SIGTERM"));
        }
        boolean awaitedToEnd = t.services().stream().anyMatch(x -> x.dependsOn().containsKey(s.name())
                && x.dependsOn().get(s.name()).condition() == Topology.Condition.COMPLETED_SUCCESSFULLY);
        if (awaitedToEnd && options.type() != GenerateOptions.WorkloadType.JOB) {
            mine.add(new Loss(s.name(), "depends_on", "others wait for it to complete, which their init container run-"
                    + name + " does; as a " + kindName() + " it also runs on and restarts: generate it with --type job"));
        }
        if (s.containerName() != null) {
            mine.add(new Loss(s.name(), "container_name", s.containerName() + ": pods are named by their workload"));
        }
        losses.addAll(mine);
        Map<String, String> annotations = new TreeMap<>();
        if (!mine.isEmpty()) {
            annotations.put(LOSSES, String.join("; ", mine.stream().map(l -> l.key() + ": " + l.why()).toList()));
        }
        Map<String, String> userLabels = new TreeMap<>(b.labels());
        List.of(Topology.PROJECT_LABEL, Topology.SERVICE_LABEL, Topology.HASH_LABEL).forEach(userLabels::remove);
        List<String> waits = new ArrayList<>();
        new TreeMap<>(s.dependsOn()).forEach((dep, d) -> {
            if (d.condition() != Topology.Condition.STARTED) {
                waits.add(dns(dep) + "=service_" + d.condition().name().toLowerCase(Locale.ROOT));
            }
        });
        if (!waits.isEmpty()) {
            userLabels.put(DEPENDS_ON, String.join(",", waits));
        }
        PodTemplateSpec template = new PodTemplateSpecBuilder()
                .withMetadata(new ObjectMetaBuilder().withLabels(selector).withAnnotations(userLabels.isEmpty() ? null
                        : userLabels).build())
                .withSpec(pod.build()).build();
        ObjectMeta meta = meta(name, t.project(), annotations);
        int replicas = s.replicas();
        switch (options.type()) {
            case DEPLOYMENT -> out.add(new DeploymentBuilder().withMetadata(meta).withNewSpec().withReplicas(replicas)
                    .withNewSelector().withMatchLabels(selector).endSelector().withTemplate(template).endSpec().build());
            case STATEFULSET -> out.add(new StatefulSetBuilder().withMetadata(meta).withNewSpec().withReplicas(replicas)
                    .withServiceName(name).withNewSelector().withMatchLabels(selector).endSelector().withTemplate(template)
                    .endSpec().build());
            case DAEMONSET -> {
                if (replicas != 1) {
                    loss(meta, s.name(), "deploy.replicas", replicas + ": a DaemonSet runs one pod per node");
                }
                out.add(new DaemonSetBuilder().withMetadata(meta).withNewSpec().withNewSelector().withMatchLabels(selector)
                        .endSelector().withTemplate(template).endSpec().build());
            }
            case JOB -> out.add(new JobBuilder().withMetadata(meta).withNewSpec().withCompletions(replicas)
                    .withParallelism(replicas).withBackoffLimit(restart == RestartPolicy.Mode.ON_FAILURE
                            && b.restart().maxRetries() > 0 ? b.restart().maxRetries() : 0)
                    .withTemplate(template).endSpec().build());
            case POD -> {
                if (replicas != 1) {
                    loss(meta, s.name(), "deploy.replicas", replicas + ": a Pod is one; use --type deployment");
                }
                meta.setLabels(selector);
                if (template.getMetadata().getAnnotations() != null) {
                    Map<String, String> a = new TreeMap<>(template.getMetadata().getAnnotations());
                    if (meta.getAnnotations() != null) {
                        a.putAll(meta.getAnnotations());
                    }
                    meta.setAnnotations(a);
                }
                out.add(new PodBuilder().withMetadata(meta).withSpec(template.getSpec()).build());
            }
        }
        services(t, s, name, selector);
    }

    private void loss(ObjectMeta meta, String service, String key, String why) {
        Loss l = new Loss(service, key, why);
        losses.add(l);
        Map<String, String> a = meta.getAnnotations() == null ? new TreeMap<>() : new TreeMap<>(meta.getAnnotations());
        a.merge(LOSSES, key + ": " + why, (x, y) -> x + "; " + y);
        meta.setAnnotations(a);
    }

    private String kindName() {
        return switch (options.type()) {
            case DEPLOYMENT -> "Deployment";
            case STATEFULSET -> "StatefulSet";
            case DAEMONSET -> "DaemonSet";
            case JOB -> "Job";
            case POD -> "Pod";
        };
    }

    /** The Services of one service: its ports under its own name and each network alias, and its published ports. */
    private void services(Topology t, Topology.Service s, String name, Map<String, String> selector) {
        List<int[]> ports = ports(s);
        List<ServicePort> inside = new ArrayList<>();
        for (int[] p : ports) {
            inside.add(new ServicePortBuilder().withName(portName(p)).withPort(p[0]).withTargetPort(new IntOrString(p[0]))
                    .withProtocol(p[1] == 1 ? "UDP" : "TCP").build());
        }
        Set<String> names = new LinkedHashSet<>(List.of(name));
        for (NetworkAttachment n : s.template().networks()) {
            if (n.isMode()) {
                continue;
            }
            for (String a : n.aliases()) {
                names.add(dns(a));
            }
            if (n.ip() != null) {
                losses.add(new Loss(s.name(), "networks." + n.network() + ".ipv4_address", n.ip()
                        + ": the cluster gives pods their addresses"));
            }
        }
        // with no port known, a headless Service still makes the name resolve to the pods
        for (String n : names) {
            out.add(new ServiceBuilder().withMetadata(meta(n, t.project(), n.equals(name) ? null
                    : Map.of("krunbox.io/alias-of", name))).withNewSpec().withSelector(selector).withPorts(inside)
                    .withClusterIP(inside.isEmpty() ? "None" : null).endSpec().build());
        }
        List<ServicePort> published = new ArrayList<>();
        for (PortMapping p : s.template().ports()) {
            if (p.hostPort() == 0) {
                losses.add(new Loss(s.name(), "ports." + p.boxPort(), "a random host port: reach it through Service "
                        + name + " in the cluster"));
                continue;
            }
            published.add(new ServicePortBuilder().withName(portName(new int[] {p.hostPort(), p.protocol().equals("udp")
                    ? 1 : 0})).withPort(p.hostPort()).withTargetPort(new IntOrString(p.boxPort()))
                    .withProtocol(p.protocol().toUpperCase(Locale.ROOT)).build());
            if (p.hostIp() != null && !p.hostIp().isEmpty() && !p.hostIp().equals("0.0.0.0")) {
                losses.add(new Loss(s.name(), "ports." + p.hostPort() + ".host_ip", p.hostIp()
                        + ": a LoadBalancer listens where the cluster puts it"));
            }
        }
        if (!published.isEmpty()) {
            out.add(new ServiceBuilder().withMetadata(meta(name + PUBLISHED_SUFFIX, t.project(), null)).withNewSpec()
                    .withType("LoadBalancer").withSelector(selector).withPorts(published).endSpec().build());
        }
    }

    private static String portName(int[] p) {
        return (p[1] == 1 ? "udp-" : "tcp-") + p[0];
    }

    /** The box ports of a service, published and exposed, as {port, 0 tcp | 1 udp}, in order, once each. */
    private List<int[]> ports(Topology.Service s) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (PortMapping p : s.template().ports()) {
            int proto = p.protocol().equals("udp") ? 1 : 0;
            out.putIfAbsent(p.boxPort() + "/" + proto, new int[] {p.boxPort(), proto});
        }
        for (String e : exposedPorts.apply(s.name())) {
            String[] parts = e.split("/");
            String[] range = parts[0].split("-");
            int proto = parts.length > 1 && parts[1].equalsIgnoreCase("udp") ? 1 : 0;
            int from = Integer.parseInt(range[0]), to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int port = from; port <= to && port - from < 100; port++) {
                out.putIfAbsent(port + "/" + proto, new int[] {port, proto});
            }
        }
        return new ArrayList<>(out.values());
    }

    private Container container(Topology.Service s, BoxSpec b, List<VolumeMount> mounts, List<Loss> mine) {
        ContainerBuilder c = new ContainerBuilder().withName(dns(s.name())).withImage(b.image())
                .withCommand(b.entrypoint()).withArgs(b.command()).withWorkingDir(b.workdir()).withVolumeMounts(mounts);
        Map<String, String> fromFiles = envFiles.apply(s.name());
        List<EnvVar> env = new ArrayList<>();
        for (String e : b.env()) {
            String k = e.substring(0, e.indexOf('=')), val = e.substring(e.indexOf('=') + 1);
            if (!val.equals(fromFiles.get(k))) { // what environment: sets over the file stays in env, which wins
                env.add(new EnvVar(k, val, null));
            }
        }
        c.withEnv(env);
        if (!fromFiles.isEmpty()) {
            c.withEnvFrom(new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder().withNewConfigMapRef()
                    .withName("env-" + dns(s.name())).endConfigMapRef().build());
        }
        List<ContainerPort> ports = new ArrayList<>();
        for (int[] p : ports(s)) {
            ports.add(new ContainerPortBuilder().withContainerPort(p[0]).withProtocol(p[1] == 1 ? "UDP" : "TCP").build());
        }
        c.withPorts(ports);
        c.withSecurityContext(security(s.name(), b, mine));
        Map<String, Quantity> limits = new TreeMap<>();
        if (b.cpus() != BoxSpec.DEFAULT_CPUS) {
            limits.put("cpu", new Quantity(String.valueOf(b.cpus())));
        }
        if (b.memoryMib() != BoxSpec.DEFAULT_MEMORY_MIB) {
            limits.put("memory", new Quantity(b.memoryMib() + "Mi"));
        }
        if (!limits.isEmpty()) {
            c.withResources(new ResourceRequirementsBuilder().withLimits(limits).build());
        }
        if (b.pidsLimit() > 0) {
            mine.add(new Loss(s.name(), "pids_limit", b.pidsLimit() + ": a pod's pid limit is the kubelet's"));
        }
        if (!b.ulimits().isEmpty()) {
            mine.add(new Loss(s.name(), "ulimits", b.ulimits().stream().map(u -> u.name()).toList()
                    + ": Kubernetes has no per-container rlimits"));
        }
        if (!b.security().devices().isEmpty()) {
            mine.add(new Loss(s.name(), "devices", b.security().devices() + ": host devices need a device plugin"));
        }
        if (b.networks().get(0).network().equals(NetworkAttachment.NONE)) {
            mine.add(new Loss(s.name(), "network_mode", "none: every pod has the cluster's network"));
        }
        if (b.health() != null) {
            c.withReadinessProbe(probe(b.health())).withLivenessProbe(probe(b.health()));
        }
        return c.build();
    }

    private static Probe probe(HealthCheck h) {
        return new ProbeBuilder().withNewExec().withCommand(h.test()).endExec()
                .withPeriodSeconds(seconds(h.interval())).withTimeoutSeconds(seconds(h.timeout()))
                .withFailureThreshold(h.retries()).withInitialDelaySeconds(h.startPeriod().isZero() ? null
                        : seconds(h.startPeriod())).build();
    }

    /** Whole seconds, at least one (a probe counts in seconds). */
    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private static SecurityContext security(String service, BoxSpec b, List<Loss> mine) {
        SecurityOptions o = b.security();
        SecurityContextBuilder sc = new SecurityContextBuilder();
        boolean any = false;
        if (o.privileged()) {
            sc.withPrivileged(true);
            any = true;
        }
        if (!o.capAdd().isEmpty() || !o.capDrop().isEmpty()) {
            sc.withCapabilities(new CapabilitiesBuilder().withAdd(caps(o.capAdd())).withDrop(caps(o.capDrop())).build());
            any = true;
        }
        if (b.readOnly()) {
            sc.withReadOnlyRootFilesystem(true);
            any = true;
        }
        if (o.noNewPrivileges()) {
            sc.withAllowPrivilegeEscalation(false);
            any = true;
        }
        if (o.seccomp() != null) {
            if (o.seccomp().equals(SecurityOptions.UNCONFINED)) {
                sc.withNewSeccompProfile().withType("Unconfined").endSeccompProfile();
                any = true;
            } else {
                mine.add(new Loss(service, "security_opt.seccomp", "a profile of its own must be a file on each node"
                        + " (seccompProfile type Localhost)"));
            }
        }
        if (b.user() != null) {
            String[] ug = b.user().split(":", 2);
            if (ug[0].matches("\\d+") && (ug.length == 1 || ug[1].matches("\\d+"))) {
                sc.withRunAsUser(Long.parseLong(ug[0]));
                if (ug.length > 1) {
                    sc.withRunAsGroup(Long.parseLong(ug[1]));
                }
                any = true;
            } else {
                mine.add(new Loss(service, "user", b.user() + ": Kubernetes takes numeric ids (runAsUser/runAsGroup)"));
            }
        }
        return any ? sc.build() : null;
    }

    private static List<String> caps(List<String> caps) {
        return caps.stream().map(c -> c.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "")).toList();
    }

    private void mounts(Topology.Service s, Map<String, String> volumeKeys, List<Volume> volumes, List<VolumeMount> mounts,
                        List<Loss> mine) {
        int n = 0;
        for (MountSpec m : s.template().mounts()) {
            String vol;
            switch (m.type()) {
                case VOLUME -> {
                    if (m.source() == null) {
                        vol = "anon-" + n++;
                        volumes.add(new VolumeBuilder().withName(vol).withNewEmptyDir().endEmptyDir().build());
                    } else {
                        String key = volumeKeys.getOrDefault(m.source(), m.source());
                        vol = "vol-" + dns(key);
                        volumes.add(new VolumeBuilder().withName(vol).withNewPersistentVolumeClaim()
                                .withClaimName(dns(key)).endPersistentVolumeClaim().build());
                    }
                }
                case BIND -> {
                    vol = "host-" + n++;
                    volumes.add(new VolumeBuilder().withName(vol).withNewHostPath().withPath(m.source()).endHostPath().build());
                    mine.add(new Loss(s.name(), "volumes." + m.target(), "bind of " + m.source()
                            + ": a hostPath, the node's own directory"));
                }
                case TMPFS -> {
                    vol = "tmp-" + n++;
                    String size = null;
                    for (String o : m.options().split(",")) {
                        if (o.startsWith("size=")) {
                            size = o.substring(5);
                        }
                    }
                    volumes.add(new VolumeBuilder().withName(vol).withNewEmptyDir().withMedium("Memory")
                            .withSizeLimit(size == null ? null : new Quantity(size.replaceAll("([kmg])$", "$1i")
                                    .replace("ki", "Ki").replace("mi", "Mi").replace("gi", "Gi"))).endEmptyDir().build());
                }
                default -> {
                    mine.add(new Loss(s.name(), "volumes." + m.target(), m.type().name().toLowerCase(Locale.ROOT)
                            + " mount: not in Kubernetes"));
                    continue;
                }
            }
            mounts.add(new VolumeMountBuilder().withName(vol).withMountPath(m.target())
                    .withReadOnly(m.readOnly() ? true : null).build());
        }
        for (Topology.SecretMount sm : s.secrets()) {
            String obj = objectName(sm.secret());
            String key = sm.secret().substring(sm.secret().indexOf('/') + 1);
            boolean isConfig = sm.secret().startsWith("configs/");
            VolumeBuilder v = new VolumeBuilder().withName(obj);
            volumes.add(isConfig ? v.withNewConfigMap().withName(obj).endConfigMap().build()
                    : v.withNewSecret().withSecretName(obj).endSecret().build());
            mounts.add(new VolumeMountBuilder().withName(obj).withMountPath(sm.target()).withSubPath(key).withReadOnly(true)
                    .build());
        }
    }

    private static List<Volume> dedupe(List<Volume> volumes) {
        Map<String, Volume> byName = new LinkedHashMap<>();
        volumes.forEach(v -> byName.putIfAbsent(v.getName(), v));
        return new ArrayList<>(byName.values());
    }

    private ObjectMeta meta(String name, String project, Map<String, String> annotations) {
        return new ObjectMetaBuilder().withName(name).withNamespace(options.namespace())
                .withLabels(Map.of(PROJECT_LABEL, label(project)))
                .withAnnotations(annotations == null || annotations.isEmpty() ? null : annotations).build();
    }

    /** A project name as a label value (at most 63 characters). */
    static String label(String project) {
        return project.length() > 63 ? project.substring(0, 63).replaceAll("[-_.]+$", "") : project;
    }

    /** A DNS-1123 label: lowercase letters, digits and '-', at most 63. */
    public static String dns(String name) {
        String d = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (d.isEmpty() || !Character.isLetter(d.charAt(0))) {
            d = "s-" + d; // a Service name starts with a letter
        }
        return d.length() > 63 ? d.substring(0, 63).replaceAll("-+$", "") : d;
    }
}
