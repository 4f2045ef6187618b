package io.krunbox.runtime.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A {@link Topology} in plain Java, with the meaning a compose file has: networks and volumes are
 * named {@code <project>_<key>}, a box on no network is on the project's {@code default} one and is
 * reached there by its service name, and the result is the record a compose file with the same
 * content compiles to ({@code Topology.builder(...)...build().equals(Compose.load(file))}).
 *
 * <pre>{@code
 * Topology t = Topology.builder("shop")
 *     .network("back", n -> n.subnet("10.89.0.0/24"))
 *     .volume("pgdata")
 *     .box("db", b -> b.image("postgres:16").env("POSTGRES_PASSWORD", "secret")
 *         .volume("pgdata", "/var/lib/postgresql/data").network("back", "database")
 *         .healthcheck(h -> h.exec("pg_isready").interval(Duration.ofSeconds(2))))
 *     .box("web", b -> b.image("nginx").ports("127.0.0.1:8080:80").network("back").dependsOn("db", Topology.Condition.HEALTHY))
 *     .build();
 * }</pre>
 */
public final class TopologyBuilder {
    private final String project;
    private final Map<String, NetworkBuilder> networks = new TreeMap<>();
    private final Map<String, VolumeBuilder> volumes = new TreeMap<>();
    private final Map<String, BoxBuilder> boxes = new TreeMap<>();

    TopologyBuilder(String project) {
        if (project == null || !project.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("project name \"" + project
                    + "\" must be lowercase letters, digits, '_' or '-', starting with a letter or digit");
        }
        this.project = project;
    }

    public TopologyBuilder network(String key) {
        return network(key, n -> { });
    }

    public TopologyBuilder network(String key, Consumer<NetworkBuilder> spec) {
        spec.accept(networks.computeIfAbsent(key, k -> new NetworkBuilder()));
        return this;
    }

    public TopologyBuilder volume(String key) {
        return volume(key, v -> { });
    }

    public TopologyBuilder volume(String key, Consumer<VolumeBuilder> spec) {
        spec.accept(volumes.computeIfAbsent(key, k -> new VolumeBuilder()));
        return this;
    }

    /** A service of the topology: {@code replicas} boxes made from one template. */
    public TopologyBuilder box(String service, Consumer<BoxBuilder> spec) {
        spec.accept(boxes.computeIfAbsent(service, k -> new BoxBuilder()));
        return this;
    }

    public Topology build() {
        Map<String, NetworkBuilder> nets = new TreeMap<>(networks);
        for (BoxBuilder b : boxes.values()) {
            if (!b.noNetwork && b.networks.isEmpty()) {
                nets.putIfAbsent("default", new NetworkBuilder());
            }
        }
        for (Map.Entry<String, BoxBuilder> e : boxes.entrySet()) {
            for (String n : e.getValue().networks.keySet()) {
                if (!nets.containsKey(n)) {
                    throw new IllegalArgumentException("box " + e.getKey() + " is on network " + n
                            + ", which the topology does not define: add .network(\"" + n + "\")");
                }
            }
            for (String d : e.getValue().dependsOn.keySet()) {
                if (!boxes.containsKey(d)) {
                    throw new IllegalArgumentException("box " + e.getKey() + " depends on " + d + ", which is not a box of"
                            + " the topology");
                }
            }
        }
        List<Topology.Network> outNets = new ArrayList<>();
        Map<String, String> netNames = new TreeMap<>();
        nets.forEach((key, n) -> {
            String name = n.name != null ? n.name : n.external ? key : project + "_" + key;
            netNames.put(key, name);
            outNets.add(new Topology.Network(key, name, n.subnet, n.gateway, n.internal, n.external, labels(n.labels)));
        });
        List<Topology.Volume> outVols = new ArrayList<>();
        Map<String, String> volNames = new TreeMap<>();
        volumes.forEach((key, v) -> {
            String name = v.name != null ? v.name : v.external ? key : project + "_" + key;
            volNames.put(key, name);
            outVols.add(new Topology.Volume(key, name, v.external, labels(v.labels)));
        });
        List<Topology.Service> services = new ArrayList<>();
        boxes.forEach((name, b) -> services.add(b.service(project, name, netNames, volNames)));
        return new Topology(project, services, outNets, outVols, List.of());
    }

    private Map<String, String> labels(Map<String, String> own) {
        Map<String, String> out = new TreeMap<>(own);
        out.put(Topology.PROJECT_LABEL, project);
        return out;
    }

    public static final class NetworkBuilder {
        private String subnet;
        private String gateway;
        private boolean internal;
        private boolean external;
        private String name;
        private final Map<String, String> labels = new TreeMap<>();

        public NetworkBuilder subnet(String cidr) { subnet = cidr; return this; }
        public NetworkBuilder gateway(String ip) { gateway = ip; return this; }
        /** No way out of the network: its boxes reach each other only. */
        public NetworkBuilder internal() { internal = true; return this; }
        /** A network made outside the topology, used as it is. */
        public NetworkBuilder external() { external = true; return this; }
        public NetworkBuilder name(String realName) { name = realName; return this; }
        public NetworkBuilder label(String key, String value) { labels.put(key, value); return this; }
    }

    public static final class VolumeBuilder {
        private boolean external;
        private String name;
        private final Map<String, String> labels = new TreeMap<>();

        public VolumeBuilder external() { external = true; return this; }
        public VolumeBuilder name(String realName) { name = realName; return this; }
        public VolumeBuilder label(String key, String value) { labels.put(key, value); return this; }
    }

    public static final class HealthBuilder {
        private List<String> test;
        private boolean shell;
        private Duration interval = HealthCheck.DEFAULT_INTERVAL;
        private Duration timeout = HealthCheck.DEFAULT_TIMEOUT;
        private Duration startPeriod = Duration.ZERO;
        private int retries = HealthCheck.DEFAULT_RETRIES;

        /** The check's command, run without a shell. */
        public HealthBuilder exec(String... argv) { test = List.of(argv); shell = false; return this; }
        /** The check's command line, run by {@code sh -c}. */
        public HealthBuilder shell(String command) { test = List.of(command); shell = true; return this; }
        public HealthBuilder interval(Duration d) { interval = d; return this; }
        public HealthBuilder timeout(Duration d) { timeout = d; return this; }
        public HealthBuilder startPeriod(Duration d) { startPeriod = d; return this; }
        public HealthBuilder retries(int n) { retries = n; return this; }

        HealthCheck build() {
            if (test == null) {
                throw new IllegalArgumentException("a healthcheck needs exec(...) or shell(...)");
            }
            HealthCheck base = shell ? HealthCheck.shell(test.get(0)) : HealthCheck.exec(test.toArray(String[]::new));
            return base.withTiming(interval, timeout, startPeriod, retries);
        }
    }

    public static final class BoxBuilder {
        private String image;
        private List<String> command;
        private List<String> entrypoint;
        private final Map<String, String> env = new TreeMap<>();
        private String workdir;
        private String user;
        private String hostname;
        private final Map<String, List<String>> networks = new TreeMap<>();
        private boolean noNetwork;
        private final List<PortMapping> ports = new ArrayList<>();
        private final List<String[]> volumes = new ArrayList<>();
        private final List<String> tmpfs = new ArrayList<>();
        private HealthBuilder health;
        private final Map<String, Topology.Condition> dependsOn = new LinkedHashMap<>();
        private int replicas = 1;
        private Double cpus;
        private String memory;
        private int pidsLimit;
        private String restart;
        private final Map<String, String> labels = new TreeMap<>();
        private boolean readOnly;
        private String containerName;

        public BoxBuilder image(String ref) { image = ref; return this; }
        public BoxBuilder command(String... argv) { command = List.of(argv); return this; }
        public BoxBuilder entrypoint(String... argv) { entrypoint = List.of(argv); return this; }
        public BoxBuilder env(String key, String value) { env.put(key, value); return this; }
        public BoxBuilder env(Map<String, String> vars) { env.putAll(vars); return this; }
        public BoxBuilder workdir(String dir) { workdir = dir; return this; }
        public BoxBuilder user(String u) { user = u; return this; }
        public BoxBuilder hostname(String h) { hostname = h; return this; }
        /** On this network of the topology, reached there by its service name and {@code aliases}. */
        public BoxBuilder network(String key, String... aliases) { networks.put(key, List.of(aliases)); return this; }
        /** On no network: loopback only. */
        public BoxBuilder noNetwork() { noNetwork = true; return this; }
        /** Published ports as {@code -p} takes them: {@code 8080:80}, {@code 127.0.0.1:5432:5432}, {@code 53/udp}. */
        public BoxBuilder ports(String... specs) {
            for (String s : specs) {
                ports.addAll(PortMapping.parse(s));
            }
            return this;
        }
        /** A named volume of the topology (or, with an absolute {@code source}, a host directory) at {@code target}. */
        public BoxBuilder volume(String source, String target) { volumes.add(new String[] {source, target, "rw"}); return this; }
        public BoxBuilder volumeReadOnly(String source, String target) { volumes.add(new String[] {source, target, "ro"}); return this; }
        public BoxBuilder tmpfs(String target) { tmpfs.add(target); return this; }
        public BoxBuilder healthcheck(Consumer<HealthBuilder> spec) {
            health = new HealthBuilder();
            spec.accept(health);
            return this;
        }
        /** Starts after {@code service} has started. */
        public BoxBuilder dependsOn(String service) { return dependsOn(service, Topology.Condition.STARTED); }
        public BoxBuilder dependsOn(String service, Topology.Condition condition) { dependsOn.put(service, condition); return this; }
        public BoxBuilder replicas(int n) { replicas = n; return this; }
        /** CPUs (rounded up to whole ones for the box) and memory ({@code 512m}, {@code 1g}). */
        public BoxBuilder resources(double cpuCount, String memorySize) { cpus = cpuCount; memory = memorySize; return this; }
        public BoxBuilder pidsLimit(int n) { pidsLimit = n; return this; }
        public BoxBuilder restart(String policy) { restart = policy; return this; }
        public BoxBuilder label(String key, String value) { labels.put(key, value); return this; }
        public BoxBuilder readOnly() { readOnly = true; return this; }
        public BoxBuilder containerName(String name) { containerName = name; return this; }

        Topology.Service service(String project, String name, Map<String, String> netNames, Map<String, String> volNames) {
            if (image == null) {
                throw new IllegalArgumentException("box " + name + " needs an image");
            }
            BoxSpec.Builder b = BoxSpec.builder(image);
            if (command != null) {
                b.command(command);
            }
            if (entrypoint != null) {
                b.entrypoint(entrypoint);
            }
            env.forEach((k, v) -> b.env(k + "=" + v));
            b.workdir(workdir).user(user).hostname(hostname).labels(labels);
            b.label(Topology.PROJECT_LABEL, project).label(Topology.SERVICE_LABEL, name);
            if (restart != null) {
                b.restart(RestartPolicy.parse(restart));
            }
            if (cpus != null) {
                b.cpus(Math.max(1, (int) Math.ceil(cpus)));
            }
            if (memory != null) {
                b.memoryMib((int) Math.max(16, ByteSize.parseBytes(memory) >> 20));
            }
            if (pidsLimit > 0) {
                b.pidsLimit(pidsLimit);
            }
            b.readOnly(readOnly);
            health(b);
            ports.forEach(b::port);
            for (String[] v : volumes) {
                boolean ro = v[2].equals("ro");
                if (v[0].startsWith("/")) {
                    b.mount(new MountSpec(MountSpec.Type.BIND, v[0], v[1], ro, ""));
                } else {
                    if (!volNames.containsKey(v[0])) {
                        throw new IllegalArgumentException("box " + name + " mounts volume " + v[0]
                                + ", which the topology does not define: add .volume(\"" + v[0] + "\")");
                    }
                    b.mount(new MountSpec(MountSpec.Type.VOLUME, volNames.get(v[0]), v[1], ro, ""));
                }
            }
            tmpfs.forEach(t -> b.mount(MountSpec.parseTmpfs(t)));
            if (noNetwork) {
                b.network(NetworkAttachment.NONE);
            } else {
                Map<String, List<String>> on = networks.isEmpty() ? Map.of("default", List.of()) : networks;
                on.forEach((key, aliases) -> {
                    List<String> all = new ArrayList<>(List.of(name));
                    all.addAll(aliases);
                    b.network(new NetworkAttachment(netNames.get(key), all, null));
                });
            }
            Map<String, Topology.Dependency> deps = new LinkedHashMap<>();
            dependsOn.forEach((d, c) -> deps.put(d, new Topology.Dependency(c, true)));
            return new Topology.Service(name, b.build(), replicas, deps, containerName, List.of());
        }

        private void health(BoxSpec.Builder b) {
            if (health != null) {
                b.health(health.build());
            }
        }
    }
}
