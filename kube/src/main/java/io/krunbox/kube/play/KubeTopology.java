package io.krunbox.kube.play;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.krunbox.kube.KubeException;
import io.krunbox.kube.KubeYaml;
import io.krunbox.kube.generate.KubeGenerator;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.model.TopologyBuilder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kubernetes objects as a {@link Topology}: each container of a workload a service (replicas as
 * boxes; init containers as one-shot services the main ones wait for), each Service's name an
 * alias of the boxes it selects, PersistentVolumeClaims as named volumes, ConfigMap and Secret
 * keys as files and environment. What krunbox does not run the way a cluster would is a warning.
 */
public final class KubeTopology {
    private final PlayOptions options;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Map<String, String>> configMaps = new TreeMap<>();
    private final Map<String, Map<String, String>> secrets = new TreeMap<>();
    private final List<String> claims = new ArrayList<>();

    public KubeTopology(PlayOptions options) {
        this.options = options;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * A workload's pods: where it is, its name, labels, replicas, pod spec, the restart its kind
     * implies, and the pod template's annotations.
     */
    private record Workload(int index, String kind, String name, Map<String, String> labels, int replicas, PodSpec pod,
                            String restart, Map<String, String> annotations) {}

    public Topology compile(List<KubeYaml.Document> docs, String fallbackProject) {
        String project = options.project() != null ? options.project() : projectName(fallbackProject);
        String generatedFor = generatedFor(docs);
        if (generatedFor != null && !generatedFor.equals(project)) {
            warnings.add("the YAML was generated for project " + generatedFor + ": give -p " + generatedFor
                    + " to run it as that project, on its volumes");
        }
        TopologyBuilder t = Topology.builder(project);
        if (options.network() != null) {
            t.network(options.network(), n -> n.external());
        } else {
            t.network("default");
        }
        List<Workload> workloads = new ArrayList<>();
        List<KubeYaml.Document> services = new ArrayList<>();
        for (KubeYaml.Document d : docs) {
            HasMetadata o = d.object();
            String name = o.getMetadata().getName();
            if (o instanceof ConfigMap c) {
                if (c.getData() != null) {
                    c.getData().keySet().forEach(k -> key(d.index(), "ConfigMap", name, k));
                }
                if (c.getBinaryData() != null && !c.getBinaryData().isEmpty()) {
                    warnings.add("document " + d.index() + " (ConfigMap " + name + "): binaryData is not mounted");
                }
                configMaps.put(name, c.getData() == null ? Map.of() : c.getData());
            } else if (o instanceof Secret s) {
                secrets.put(name, secretData(d.index(), s));
            } else if (o instanceof PersistentVolumeClaim) {
                claims.add(name);
                t.volume(name);
            } else if (o instanceof Service) {
                services.add(d);
            } else if (o instanceof Pod p) {
                PodSpec pod = need(p.getSpec(), d.index(), "spec");
                workloads.add(new Workload(d.index(), "Pod", name, labels(p.getMetadata().getLabels()), 1, pod,
                        pod.getRestartPolicy(), labels(p.getMetadata().getAnnotations())));
            } else if (o instanceof Deployment x) {
                need(x.getSpec(), d.index(), "spec");
                workloads.add(new Workload(d.index(), "Deployment", name, templateLabels(x.getSpec().getTemplate()),
                        x.getSpec().getReplicas() == null ? 1 : x.getSpec().getReplicas(),
                        pod(x.getSpec().getTemplate(), d.index()), "Always", templateAnnotations(x.getSpec().getTemplate())));
            } else if (o instanceof StatefulSet x) {
                need(x.getSpec(), d.index(), "spec");
                workloads.add(new Workload(d.index(), "StatefulSet", name, templateLabels(x.getSpec().getTemplate()),
                        x.getSpec().getReplicas() == null ? 1 : x.getSpec().getReplicas(),
                        pod(x.getSpec().getTemplate(), d.index()), "Always", templateAnnotations(x.getSpec().getTemplate())));
            } else if (o instanceof DaemonSet x) {
                need(x.getSpec(), d.index(), "spec");
                workloads.add(new Workload(d.index(), "DaemonSet", name, templateLabels(x.getSpec().getTemplate()), 1,
                        pod(x.getSpec().getTemplate(), d.index()), "Always", templateAnnotations(x.getSpec().getTemplate())));
            } else if (o instanceof Job x) {
                need(x.getSpec(), d.index(), "spec");
                PodSpec pod = pod(x.getSpec().getTemplate(), d.index());
                Integer completions = x.getSpec().getCompletions();
                workloads.add(new Workload(d.index(), "Job", name, templateLabels(x.getSpec().getTemplate()),
                        completions == null ? 1 : completions, pod,
                        pod.getRestartPolicy() == null ? "Never" : pod.getRestartPolicy(),
                        templateAnnotations(x.getSpec().getTemplate())));
            } else {
                throw new KubeException("document " + d.index() + ": kind " + o.getKind() + " is not run");
            }
        }
        // a Service's name (and a workload's own) is how the other boxes reach the boxes it selects
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> published = new LinkedHashMap<>();
        for (KubeYaml.Document d : services) {
            try {
                service(d, (Service) d.object(), workloads, aliases, published);
            } catch (NullPointerException e) {
                throw new KubeException("document " + d.index() + " (Service " + d.object().getMetadata().getName()
                        + "): a required field is missing (each port needs port:)");
            }
        }
        for (Workload w : workloads) {
            try {
                workload(t, w, aliases.getOrDefault(w.name(), List.of()), published.getOrDefault(w.name(), Map.of()));
            } catch (NullPointerException e) {
                throw new KubeException("document " + w.index() + " (" + w.kind() + " " + w.name() + "): a required field"
                        + " is missing (a container needs name: and image:, an env entry name:, a port containerPort:,"
                        + " a volume mount name: and mountPath:)");
            }
        }
        if (workloads.isEmpty()) {
            throw new KubeException("the YAML has no Pod, Deployment, StatefulSet, DaemonSet or Job: nothing to run");
        }
        return t.build();
    }

    /** A file's name as a project name: lowercase letters, digits, '_' and '-'. */
    static String projectName(String file) {
        String p = file.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceAll("^[^a-z0-9]+", "");
        return p.isEmpty() ? "kube" : p;
    }

    /** The project kube generate wrote the YAML for ({@code app.kubernetes.io/part-of}), if any. */
    private static String generatedFor(List<KubeYaml.Document> docs) {
        for (KubeYaml.Document d : docs) {
            Map<String, String> l = d.object().getMetadata().getLabels();
            if (l != null && l.get(KubeGenerator.PROJECT_LABEL) != null) {
                return l.get(KubeGenerator.PROJECT_LABEL);
            }
        }
        return null;
    }

    /** A ConfigMap or Secret key as Kubernetes allows it (it becomes a file name). */
    private static void key(int index, String kind, String name, String key) {
        if (key == null || key.length() > 253 || !key.matches("[-._a-zA-Z0-9]+") || key.equals(".") || key.equals("..")) {
            throw new KubeException("document " + index + " (" + kind + " " + name + "): key \"" + KubeYaml.printable(key)
                    + "\" may only hold letters, digits, '-', '_' and '.'");
        }
    }

    private static Map<String, String> labels(Map<String, String> l) {
        return l == null ? Map.of() : l;
    }

    private static Map<String, String> templateLabels(io.fabric8.kubernetes.api.model.PodTemplateSpec t) {
        return t == null || t.getMetadata() == null ? Map.of() : labels(t.getMetadata().getLabels());
    }

    private static Map<String, String> templateAnnotations(io.fabric8.kubernetes.api.model.PodTemplateSpec t) {
        return t == null || t.getMetadata() == null ? Map.of() : labels(t.getMetadata().getAnnotations());
    }

    private static PodSpec pod(io.fabric8.kubernetes.api.model.PodTemplateSpec t, int index) {
        return need(t == null ? null : t.getSpec(), index, "spec.template.spec");
    }

    private static <T> T need(T v, int index, String path) {
        if (v == null) {
            throw new KubeException("document " + index + ": " + path + " is missing");
        }
        return v;
    }

    private Map<String, String> secretData(int index, Secret s) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, String> m : java.util.Arrays.asList(s.getData(), s.getStringData())) {
            if (m != null) {
                m.keySet().forEach(k -> key(index, "Secret", s.getMetadata().getName(), k));
            }
        }
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> {
                try {
                    byte[] bytes = Base64.getMimeDecoder().decode(v);
                    try {
                        out.put(k, StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
                    } catch (java.nio.charset.CharacterCodingException binary) {
                        throw new KubeException("document " + index + " (Secret " + s.getMetadata().getName() + "): data."
                                + k + " is binary: kube play mounts secrets as text");
                    }
                } catch (IllegalArgumentException e) {
                    throw new KubeException("document " + index + " (Secret " + s.getMetadata().getName() + "): data." + k
                            + " is not base64: put plain text under stringData instead");
                }
            });
        }
        if (s.getStringData() != null) {
            out.putAll(s.getStringData());
        }
        return out;
    }

    private void service(KubeYaml.Document d, Service s, List<Workload> workloads, Map<String, List<String>> aliases,
                         Map<String, Map<String, List<String>>> published) {
        String name = s.getMetadata().getName();
        Map<String, String> selector = s.getSpec() == null || s.getSpec().getSelector() == null ? Map.of()
                : s.getSpec().getSelector();
        if (selector.isEmpty()) {
            warnings.add("Service " + name + " (document " + d.index() + ") selects no pods: it is skipped");
            return;
        }
        String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
        boolean matched = false;
        for (Workload w : workloads) {
            if (!w.labels().entrySet().containsAll(selector.entrySet())) {
                continue;
            }
            matched = true;
            if (!name.equals(w.name())) {
                aliases.computeIfAbsent(w.name(), k -> new ArrayList<>()).add(name);
            }
            for (ServicePort p : s.getSpec().getPorts()) {
                int target = target(p.getTargetPort(), p.getPort(), w, d.index(), name);
                if (p.getPort() != null && p.getPort() != target && type.equals("ClusterIP")) {
                    warnings.add("Service " + name + " sends port " + p.getPort() + " to " + target + ": on the bridge the"
                            + " name " + name + " reaches the boxes at " + target + " itself");
                }
            }
            if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
                continue;
            }
            if (!options.publish()) {
                warnings.add("Service " + name + " is a " + type + ": its ports are published only with --publish");
                continue;
            }
            for (ServicePort p : s.getSpec().getPorts()) {
                int host = type.equals("NodePort") && p.getNodePort() != null ? p.getNodePort() : p.getPort();
                int target = target(p.getTargetPort(), p.getPort(), w, d.index(), name);
                String proto = p.getProtocol() == null ? "tcp" : p.getProtocol().toLowerCase(Locale.ROOT);
                published.computeIfAbsent(w.name(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(containerOf(w, target), k -> new ArrayList<>()).add(host + ":" + target + "/" + proto);
            }
        }
        if (!matched) {
            warnings.add("Service " + name + " (document " + d.index() + ") selects " + selector + ", which no workload's"
                    + " pods carry");
        }
    }

    /** The container of {@code w} that declares {@code port}, else its first. */
    private static String containerOf(Workload w, int port) {
        for (Container c : w.pod().getContainers()) {
            for (ContainerPort p : c.getPorts()) {
                if (p.getContainerPort() != null && p.getContainerPort() == port) {
                    return c.getName();
                }
            }
        }
        return w.pod().getContainers().get(0).getName();
    }

    private static int target(IntOrString t, Integer port, Workload w, int index, String service) {
        if (t == null) {
            return port;
        }
        if (t.getIntVal() != null) {
            return t.getIntVal();
        }
        for (Container c : w.pod().getContainers()) {
            for (ContainerPort p : c.getPorts()) {
                if (t.getStrVal().equals(p.getName())) {
                    return p.getContainerPort();
                }
            }
        }
        throw new KubeException("document " + index + " (Service " + service + "): targetPort " + t.getStrVal()
                + " names no port of " + w.name() + "'s containers");
    }

    private void workload(TopologyBuilder t, Workload w, List<String> aliases, Map<String, List<String>> published) {
        PodSpec pod = w.pod();
        String where = "document " + w.index() + " (" + w.kind() + " " + w.name() + ")";
        if (pod.getContainers() == null || pod.getContainers().isEmpty()) {
            throw new KubeException(where + ": spec.containers is empty");
        }
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            throw new KubeException(where + ": hostNetwork, hostPID and hostIPC are not run: a box has namespaces of its own");
        }
        if (w.replicas() < 0 || w.replicas() > 100) {
            throw new KubeException(where + ": replicas " + w.replicas() + ": kube play runs 0 to 100 on one machine");
        }
        Map<String, Volume> volumes = new LinkedHashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        // the init containers kube generate wrote for depends_on are those dependencies again
        Map<String, Topology.Condition> waits = new LinkedHashMap<>();
        String declared = w.annotations().get(KubeGenerator.DEPENDS_ON);
        if (declared != null) {
            for (String entry : declared.split(",")) {
                String[] kv = entry.split("=", 2);
                if (kv.length == 2) {
                    waits.put(kv[0].strip(), kv[1].strip().equals("service_healthy") ? Topology.Condition.HEALTHY
                            : Topology.Condition.COMPLETED_SUCCESSFULLY);
                }
            }
        }
        String previous = null;
        for (Container c : pod.getInitContainers()) {
            String dep = c.getName().replaceFirst("^(wait-for|run)-", "");
            if (!dep.equals(c.getName()) && waits.containsKey(dep)) {
                continue;
            }
            String name = KubeGenerator.dns(w.name() + "-init-" + c.getName());
            claimBox(name, where);
            String after = previous;
            t.box(name, b -> {
                container(t, b, c, pod, volumes, where + " initContainers " + c.getName(), w.name());
                b.restart("no");
                if (after != null) {
                    b.dependsOn(after, Topology.Condition.COMPLETED_SUCCESSFULLY);
                }
                network(b, List.of());
            });
            previous = name;
        }
        boolean one = pod.getContainers().size() == 1;
        if (!one) {
            warnings.add(where + ": its " + pod.getContainers().size() + " containers become boxes "
                    + w.name() + "-NAME, which do not share localhost");
        }
        for (Container c : pod.getContainers()) {
            String name = one ? KubeGenerator.dns(w.name()) : KubeGenerator.dns(w.name() + "-" + c.getName());
            claimBox(name, where);
            String lastInit = previous;
            t.box(name, b -> {
                container(t, b, c, pod, volumes, where + " container " + c.getName(), w.name());
                b.replicas(w.replicas());
                b.restart(switch (w.restart() == null ? "Always" : w.restart()) {
                    case "OnFailure" -> "on-failure";
                    case "Never" -> "no";
                    default -> "always";
                });
                if (lastInit != null) {
                    b.dependsOn(lastInit, Topology.Condition.COMPLETED_SUCCESSFULLY);
                }
                waits.forEach(b::dependsOn);
                List<String> all = new ArrayList<>(aliases);
                if (!one) {
                    all.add(w.name());
                }
                network(b, all);
                b.ports(published.getOrDefault(c.getName(), List.of()).toArray(String[]::new));
                if (pod.getHostname() != null) {
                    b.hostname(pod.getHostname());
                }
                pod.getHostAliases().forEach(h -> h.getHostnames().forEach(n -> b.extraHost(n, h.getIp())));
                if (pod.getDnsConfig() != null) {
                    b.dns(pod.getDnsConfig().getNameservers().toArray(String[]::new));
                }
                if (pod.getTerminationGracePeriodSeconds() != null) {
                    b.stopGracePeriod(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds()));
                }
                if (pod.getSecurityContext() != null) {
                    pod.getSecurityContext().getSysctls().forEach(s -> b.sysctl(s.getName(), s.getValue()));
                }
            });
        }
        if (pod.getNodeSelector() != null && !pod.getNodeSelector().isEmpty() || pod.getAffinity() != null
                || !pod.getTolerations().isEmpty()) {
            warnings.add(where + ": node selection (nodeSelector, affinity, tolerations) has no meaning on one machine");
        }
    }

    private final java.util.Set<String> boxes = new java.util.HashSet<>();

    /** Two workloads (or containers) whose names give one box name are refused, not merged. */
    private void claimBox(String name, String where) {
        if (!boxes.add(name)) {
            throw new KubeException(where + ": its box name " + name + " is another workload's or container's too:"
                    + " rename one");
        }
    }

    private void network(TopologyBuilder.BoxBuilder b, List<String> aliases) {
        if (options.network() != null) {
            b.network(options.network(), aliases.toArray(String[]::new));
        } else {
            b.network("default", aliases.toArray(String[]::new));
        }
    }

    private void container(TopologyBuilder t, TopologyBuilder.BoxBuilder b, Container c, PodSpec pod,
                           Map<String, Volume> volumes, String where, String podName) {
        if (c.getImage() == null || c.getImage().isBlank()) {
            throw new KubeException(where + ": image is missing");
        }
        b.image(c.getImage());
        if (!c.getCommand().isEmpty()) {
            b.entrypoint(c.getCommand().toArray(String[]::new));
        }
        if (!c.getArgs().isEmpty()) {
            b.command(c.getArgs().toArray(String[]::new));
        }
        if (c.getWorkingDir() != null) {
            b.workdir(c.getWorkingDir());
        }
        for (EnvFromSource from : c.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                data(configMaps, "ConfigMap", from.getConfigMapRef().getName(), where, from.getConfigMapRef().getOptional())
                        .forEach((k, v) -> b.env(prefix + k, v));
            } else if (from.getSecretRef() != null) {
                data(secrets, "Secret", from.getSecretRef().getName(), where, from.getSecretRef().getOptional())
                        .forEach((k, v) -> b.env(prefix + k, v));
            }
        }
        for (EnvVar e : c.getEnv()) {
            b.env(e.getName(), env(e, where));
        }
        securityContext(b, c, pod, where);
        if (c.getStartupProbe() != null || c.getLifecycle() != null) {
            warnings.add(where + ": startupProbe and lifecycle hooks are not run");
        }
        if (c.getResources() != null && c.getResources().getLimits() != null) {
            Quantity cpu = c.getResources().getLimits().get("cpu");
            Quantity mem = c.getResources().getLimits().get("memory");
            if (cpu != null) {
                b.cpus(bounded(cpu, BigDecimal.valueOf(255), where + ": limits.cpu").doubleValue());
            }
            if (mem != null) {
                BigDecimal bytes = bounded(mem, BigDecimal.valueOf(1L << 40), where + ": limits.memory");
                b.memory(bytes.divide(BigDecimal.valueOf(1 << 20), 0, java.math.RoundingMode.UP).longValue() + "m");
            }
        }
        Probe probe = c.getReadinessProbe() != null ? c.getReadinessProbe() : c.getLivenessProbe();
        if (probe != null) {
            health(b, probe, c, where);
        }
        for (VolumeMount m : c.getVolumeMounts()) {
            mount(t, b, m, volumes.get(m.getName()), where, podName);
        }
    }

    /** A quantity's amount, refused when it is not a number or above {@code max} (checked before any big arithmetic). */
    static BigDecimal bounded(Quantity q, BigDecimal max, String what) {
        BigDecimal v;
        try {
            v = Quantity.getAmountInBytes(q);
        } catch (RuntimeException e) {
            throw new KubeException(what + ": \"" + KubeYaml.printable(q.toString()) + "\" is not a quantity (e.g. 500m, 128Mi)");
        }
        if (v.signum() < 0 || v.compareTo(max) > 0) {
            throw new KubeException(what + ": " + KubeYaml.printable(q.toString()) + " is out of range (at most " + max + ")");
        }
        return v;
    }

    private String env(EnvVar e, String where) {
        if (e.getValueFrom() == null) {
            return e.getValue() == null ? "" : e.getValue();
        }
        var from = e.getValueFrom();
        if (from.getConfigMapKeyRef() != null) {
            var r = from.getConfigMapKeyRef();
            return key(data(configMaps, "ConfigMap", r.getName(), where, r.getOptional()), "ConfigMap", r.getName(),
                    r.getKey(), where, r.getOptional());
        }
        if (from.getSecretKeyRef() != null) {
            var r = from.getSecretKeyRef();
            return key(data(secrets, "Secret", r.getName(), where, r.getOptional()), "Secret", r.getName(), r.getKey(),
                    where, r.getOptional());
        }
        throw new KubeException(where + ": env " + e.getName() + ": only configMapKeyRef and secretKeyRef are read"
                + " (the cluster's own fields are not there on one machine)");
    }

    private static Map<String, String> data(Map<String, Map<String, String>> from, String kind, String name, String where,
                                            Boolean optional) {
        Map<String, String> d = from.get(name);
        if (d == null) {
            if (Boolean.TRUE.equals(optional)) {
                return Map.of();
            }
            throw new KubeException(where + ": " + kind + " " + name + " is not in the YAML: add it");
        }
        return d;
    }

    private static String key(Map<String, String> data, String kind, String name, String key, String where,
                              Boolean optional) {
        String v = data.get(key);
        if (v == null && !Boolean.TRUE.equals(optional)) {
            throw new KubeException(where + ": " + kind + " " + name + " has no key " + key);
        }
        return v == null ? "" : v;
    }

    /** What crosses the box boundary runs only when the user said so ({@code --allow-privileged}). */
    private void privileged(String where, String what) {
        if (!options.allowPrivileged()) {
            throw new KubeException(where + ": " + what + " would open the box to the host: give --allow-privileged"
                    + " if you trust this YAML");
        }
    }

    private void securityContext(TopologyBuilder.BoxBuilder b, Container c, PodSpec pod, String where) {
        var psc = pod.getSecurityContext();
        var sc = c.getSecurityContext();
        Long uid = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc != null ? psc.getRunAsUser() : null;
        Long gid = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : psc != null ? psc.getRunAsGroup() : null;
        if (uid != null) {
            b.user(uid + (gid != null ? ":" + gid : ""));
        }
        if (sc == null) {
            return;
        }
        if (Boolean.TRUE.equals(sc.getPrivileged())) {
            privileged(where, "securityContext.privileged");
            b.privileged();
        }
        if (sc.getCapabilities() != null) {
            if (!sc.getCapabilities().getAdd().isEmpty()) {
                privileged(where, "securityContext.capabilities.add " + sc.getCapabilities().getAdd());
            }
            b.capAdd(sc.getCapabilities().getAdd().toArray(String[]::new));
            b.capDrop(sc.getCapabilities().getDrop().toArray(String[]::new));
        }
        if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            b.readOnly();
        }
        if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            b.securityOpt("no-new-privileges");
        }
        if (sc.getSeccompProfile() != null && "Unconfined".equals(sc.getSeccompProfile().getType())) {
            privileged(where, "seccompProfile Unconfined");
            b.securityOpt("seccomp=unconfined");
        }
    }

    private static void health(TopologyBuilder.BoxBuilder b, Probe p, Container c, String where) {
        int period = p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds();
        int timeout = p.getTimeoutSeconds() == null ? 1 : p.getTimeoutSeconds();
        int retries = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
        int delay = p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
        b.healthcheck(h -> {
            if (p.getExec() != null) {
                h.exec(p.getExec().getCommand().toArray(String[]::new));
            } else if (p.getHttpGet() != null) {
                var g = p.getHttpGet();
                String path = g.getPath() == null ? "/" : g.getPath();
                if (!path.startsWith("/")) {
                    throw new KubeException(where + ": httpGet path \"" + KubeYaml.printable(path) + "\" must start with /");
                }
                String url = "http://127.0.0.1:" + port(g.getPort(), c, where) + path;
                h.shell("wget -q -O /dev/null '" + url.replace("'", "'\\''") + "'");
            } else if (p.getTcpSocket() != null) {
                int port = port(p.getTcpSocket().getPort(), c, where);
                // the kubelet connects from outside; in the box, nc does (-z where it has it, else a plain connect)
                h.shell("nc -z 127.0.0.1 " + port + " 2>/dev/null || nc 127.0.0.1 " + port + " </dev/null >/dev/null");
            } else {
                throw new KubeException(where + ": a probe needs exec, httpGet or tcpSocket");
            }
            h.interval(Duration.ofSeconds(Math.max(1, period))).timeout(Duration.ofSeconds(Math.max(1, timeout)))
                    .retries(Math.max(1, retries)).startPeriod(Duration.ofSeconds(delay));
        });
    }

    private static int port(IntOrString p, Container c, String where) {
        if (p != null && p.getIntVal() != null) {
            return p.getIntVal();
        }
        if (p != null && p.getStrVal() != null) {
            for (ContainerPort cp : c.getPorts()) {
                if (p.getStrVal().equals(cp.getName()) && cp.getContainerPort() != null) {
                    return cp.getContainerPort();
                }
            }
        }
        throw new KubeException(where + ": a probe's port must be a number or the name of one of the container's ports");
    }

    private void mount(TopologyBuilder t, TopologyBuilder.BoxBuilder b, VolumeMount m, Volume v, String where,
                       String podName) {
        if (v == null) {
            throw new KubeException(where + ": volumeMounts " + m.getName() + " names no volume of the pod");
        }
        String target = m.getMountPath();
        if (target == null || !target.startsWith("/") || java.util.Arrays.asList(target.split("/")).contains("..")) {
            throw new KubeException(where + ": volumeMounts " + m.getName() + ": mountPath \"" + KubeYaml.printable(target)
                    + "\" must be an absolute path without ..");
        }
        boolean ro = Boolean.TRUE.equals(m.getReadOnly());
        boolean fileVolume = v.getConfigMap() != null || v.getSecret() != null;
        if (m.getSubPath() != null && !m.getSubPath().isEmpty() && !fileVolume) {
            throw new KubeException(where + ": volumeMounts " + m.getName() + ": subPath is run for configMap and secret"
                    + " volumes only");
        }
        if (v.getPersistentVolumeClaim() != null) {
            String claim = v.getPersistentVolumeClaim().getClaimName();
            if (!claims.contains(claim)) {
                throw new KubeException(where + ": PersistentVolumeClaim " + claim + " is not in the YAML: add it");
            }
            if (ro) {
                b.volumeReadOnly(claim, target);
            } else {
                b.volume(claim, target);
            }
        } else if (v.getConfigMap() != null) {
            files(t, b, "ConfigMap", v.getConfigMap().getName(), v.getConfigMap().getItems(), m, where,
                    v.getConfigMap().getOptional());
        } else if (v.getSecret() != null) {
            files(t, b, "Secret", v.getSecret().getSecretName(), v.getSecret().getItems(), m, where,
                    v.getSecret().getOptional());
        } else if (v.getEmptyDir() != null) {
            if ("Memory".equals(v.getEmptyDir().getMedium())) {
                Quantity size = v.getEmptyDir().getSizeLimit();
                b.tmpfs(target + (size == null ? "" : ":size=" + bounded(size, BigDecimal.valueOf(1L << 40),
                        where + ": emptyDir " + v.getName() + " sizeLimit").toBigInteger()));
            } else {
                // one pod's emptyDir is one volume for its init and main containers (and, here, its replicas)
                String shared = KubeGenerator.dns(podName + "-" + v.getName() + "-emptydir");
                t.volume(shared);
                b.volume(shared, target);
            }
        } else if (v.getHostPath() != null) {
            if (v.getHostPath().getPath() == null || !v.getHostPath().getPath().startsWith("/")) {
                throw new KubeException(where + ": hostPath " + v.getName() + " needs an absolute path");
            }
            privileged(where, "hostPath " + v.getHostPath().getPath());
            warnings.add(where + ": hostPath " + v.getHostPath().getPath() + " is bound from this host into the box");
            if (ro) {
                b.volumeReadOnly(v.getHostPath().getPath(), target);
            } else {
                b.volume(v.getHostPath().getPath(), target);
            }
        } else {
            throw new KubeException(where + ": volume " + v.getName() + ": only persistentVolumeClaim, configMap, secret,"
                    + " emptyDir and hostPath volumes are run");
        }
    }

    /** A name for one key of a ConfigMap or Secret that no other key's can take (a digest of kind, name and key). */
    static String fileName(String kind, String name, String key) {
        String readable = KubeGenerator.dns((kind.equals("Secret") ? "s-" : "c-") + name + "-" + key);
        String digest = Integer.toHexString((kind + "\0" + name + "\0" + key).hashCode() & 0x7fffffff);
        return (readable.length() > 50 ? readable.substring(0, 50) : readable) + "-" + digest;
    }

    /** A ConfigMap's or Secret's keys as files: under the mount path, or one key at it with subPath. */
    private void files(TopologyBuilder t, TopologyBuilder.BoxBuilder b, String kind, String name, List<KeyToPath> items,
                       VolumeMount m, String where, Boolean optional) {
        Map<String, String> data = data(kind.equals("Secret") ? secrets : configMaps, kind, name, where, optional);
        Map<String, String> paths = new LinkedHashMap<>();
        if (items.isEmpty()) {
            new TreeMap<>(data).keySet().forEach(k -> paths.put(k, k));
        } else {
            items.forEach(i -> paths.put(i.getKey(), i.getPath()));
        }
        paths.forEach((key, path) -> {
            String content = key(data, kind, name, key, where, optional);
            if (m.getSubPath() != null && !m.getSubPath().isEmpty() && !m.getSubPath().equals(path)) {
                return;
            }
            if (path.contains("..") || path.startsWith("/")) {
                throw new KubeException(where + ": " + kind + " " + name + ": item path " + path + " must stay under the"
                        + " mount path");
            }
            String target = m.getSubPath() != null && !m.getSubPath().isEmpty() ? m.getMountPath()
                    : m.getMountPath().replaceAll("/+$", "") + "/" + path;
            String file = fileName(kind, name, key);
            if (kind.equals("Secret")) {
                t.secret(file, s -> s.content(content));
                b.secret(file, target);
            } else {
                t.config(file, s -> s.content(content));
                b.config(file, target);
            }
        });
    }
}
