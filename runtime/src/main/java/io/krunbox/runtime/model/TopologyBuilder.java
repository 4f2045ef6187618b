package io.krunbox.runtime.model;

import io.krunbox.runtime.base.Invocation;
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
    private final Map<String, SecretBuilder> secrets = new TreeMap<>();
    private final Map<String, SecretBuilder> configs = new TreeMap<>();
    private final List<Topology> included = new ArrayList<>();
    private final java.util.Set<String> activeProfiles = new java.util.TreeSet<>();

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

    /**
     * A secret the boxes can mount: {@code s -> s.file("pw.txt")}, {@code s.content("...")} or
     * {@code s.environment("VAR")}; a box mounts it at {@code /run/secrets/NAME} unless told otherwise.
     */
    public TopologyBuilder secret(String name, Consumer<SecretBuilder> spec) {
        spec.accept(secrets.computeIfAbsent(name, k -> new SecretBuilder("secret " + k)));
        return this;
    }

    /** A config file the boxes can mount (at {@code /NAME} unless told otherwise), given as a secret is. */
    public TopologyBuilder config(String name, Consumer<SecretBuilder> spec) {
        spec.accept(configs.computeIfAbsent(name, k -> new SecretBuilder("config " + k)));
        return this;
    }

    /**
     * Another topology's services, networks, volumes, secrets and configs, as compose's
     * {@code include:} brings them in; a name defined twice is an error at {@link #build()}.
     */
    public TopologyBuilder include(Topology other) {
        included.add(other);
        return this;
    }

    /**
     * The profiles that are on (in place of any given before): a box with {@code profiles(...)} is
     * in the topology only when one of them is ({@code *}: all).
     */
    public TopologyBuilder activeProfiles(String... names) {
        activeProfiles.clear();
        activeProfiles.addAll(List.of(names));
        return this;
    }

    /** The profiles box {@code service} was given (empty: always on). */
    public List<String> profilesOf(String service) {
        BoxBuilder b = boxes.get(service);
        return b == null ? List.of() : List.copyOf(b.profiles);
    }

    private boolean active(BoxBuilder b) {
        return b.profiles.isEmpty() || activeProfiles.contains("*") || b.profiles.stream().anyMatch(activeProfiles::contains);
    }

    public Topology build() {
        Map<String, BoxBuilder> boxes = new TreeMap<>();
        this.boxes.forEach((k, b) -> {
            if (active(b)) {
                boxes.put(k, b);
            }
        });
        java.util.Set<String> includedServices = new java.util.TreeSet<>();
        java.util.Set<String> includedNetworks = new java.util.TreeSet<>();
        java.util.Set<String> includedVolumes = new java.util.TreeSet<>();
        for (Topology t : included) {
            t.services().forEach(x -> includedServices.add(x.name()));
            t.networks().forEach(x -> includedNetworks.add(x.key()));
            t.volumes().forEach(x -> includedVolumes.add(x.key()));
        }
        Map<String, NetworkBuilder> nets = new TreeMap<>(networks);
        for (BoxBuilder b : boxes.values()) {
            if (!b.noNetwork && b.networks.isEmpty()) {
                nets.putIfAbsent("default", new NetworkBuilder());
            }
        }
        for (Map.Entry<String, BoxBuilder> e : boxes.entrySet()) {
            if (includedServices.contains(e.getKey())) {
                throw new IllegalArgumentException("box " + e.getKey() + " is defined here and in an included"
                        + " topology: rename one");
            }
            for (String n : e.getValue().networks.keySet()) {
                if (!nets.containsKey(n) && !includedNetworks.contains(n)) {
                    throw new IllegalArgumentException("box " + e.getKey() + " is on network " + n
                            + ", which the topology does not define: add .network(\"" + n + "\")");
                }
            }
            for (String d : e.getValue().dependsOn.keySet()) {
                if (!boxes.containsKey(d) && !includedServices.contains(d)) {
                    BoxBuilder off = this.boxes.get(d);
                    throw new IllegalArgumentException("box " + e.getKey() + " depends on " + d + ", which is not a box of"
                            + " the topology" + (off == null ? "" : " while its profiles " + off.profiles
                            + " are off: turn one on"));
                }
            }
            for (Topology.SecretMount ref : e.getValue().secretRefs) {
                String kind = ref.secret().substring(0, ref.secret().indexOf('/'));
                String name = ref.secret().substring(kind.length() + 1);
                if (!(kind.equals("secrets") ? secrets : configs).containsKey(name)) {
                    throw new IllegalArgumentException("box " + e.getKey() + " mounts " + kind.substring(0, kind.length() - 1)
                            + " " + name + ", which the topology does not define: add ." + kind.substring(0, kind.length() - 1)
                            + "(\"" + name + "\", s -> s.file(...))");
                }
            }
        }
        for (String n : nets.keySet()) {
            if (includedNetworks.contains(n) && networks.containsKey(n)) {
                throw new IllegalArgumentException("network " + n + " is defined here and in an included topology: rename one");
            }
        }
        List<Topology.Network> outNets = new ArrayList<>();
        Map<String, String> netNames = new TreeMap<>();
        Map<String, String> volNames = new TreeMap<>();
        for (Topology t : included) {
            t.networks().forEach(x -> netNames.put(x.key(), x.name()));
            t.volumes().forEach(x -> volNames.put(x.key(), x.name()));
        }
        nets.forEach((key, n) -> {
            if (includedNetworks.contains(key)) {
                return;
            }
            String name = n.name != null ? n.name : n.external ? key : project + "_" + key;
            netNames.put(key, name);
            outNets.add(new Topology.Network(key, name, n.subnet, n.gateway, n.internal, n.external, labels(n.labels)));
        });
        List<Topology.Volume> outVols = new ArrayList<>();
        volumes.forEach((key, v) -> {
            if (includedVolumes.contains(key)) {
                throw new IllegalArgumentException("volume " + key + " is defined here and in an included topology: rename one");
            }
            String name = v.name != null ? v.name : v.external ? key : project + "_" + key;
            volNames.put(key, name);
            outVols.add(new Topology.Volume(key, name, v.external, labels(v.labels)));
        });
        List<Topology.Service> services = new ArrayList<>();
        boxes.forEach((name, b) -> services.add(b.service(project, name, netNames, volNames)));
        List<Topology.Secret> outSecrets = new ArrayList<>();
        secrets.forEach((name, s) -> outSecrets.add(s.build("secrets/" + name)));
        configs.forEach((name, s) -> outSecrets.add(s.build("configs/" + name)));
        for (Topology t : included) {
            services.addAll(t.services());
            outNets.addAll(t.networks());
            outVols.addAll(t.volumes());
            outSecrets.addAll(t.secrets());
        }
        services.sort(java.util.Comparator.comparing(Topology.Service::name));
        outNets.sort(java.util.Comparator.comparing(Topology.Network::key));
        outVols.sort(java.util.Comparator.comparing(Topology.Volume::key));
        return new Topology(project, services, outNets, outVols, outSecrets);
    }

    private Map<String, String> labels(Map<String, String> own) {
        Map<String, String> out = new TreeMap<>(own);
        out.put(Topology.PROJECT_LABEL, project);
        return out;
    }

    /** A seccomp profile's text, as {@code seccomp=FILE} names it (checked when a box starts). */
    private static String readProfile(String file) {
        java.nio.file.Path p = java.nio.file.Path.of(file);
        try {
            if (java.nio.file.Files.size(p) > (1 << 20)) {
                throw new IllegalArgumentException("seccomp profile " + file + " is larger than 1 MiB");
            }
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read seccomp profile " + file + ": " + e.getMessage()
                    + " (give a profile in Docker's format, or seccomp=unconfined)");
        }
    }

    public static final class NetworkBuilder {
        private String subnet;
        private String gateway;
        private boolean internal;
        private boolean external;
        private String name;
        private final Map<String, String> labels = new TreeMap<>();

        /** The network's IPv4 subnet in CIDR form, {@code 10.89.0.0/24} (prefix /1 to /30). */
        public NetworkBuilder subnet(String cidr) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})/(\\d{1,2})").matcher(
                    cidr == null ? "" : cidr);
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 30
                    || !ipv4(m.group(1))) {
                throw new IllegalArgumentException("subnet \"" + cidr + "\" is not an IPv4 subnet in CIDR form with a"
                        + " prefix from /1 to /30 (e.g. 10.89.0.0/24)");
            }
            subnet = cidr;
            return this;
        }
        public NetworkBuilder gateway(String ip) {
            if (ip == null || !ipv4(ip)) {
                throw new IllegalArgumentException("gateway \"" + ip + "\" is not an IPv4 address");
            }
            gateway = ip;
            return this;
        }
        /** No way out of the network: its boxes reach each other only. */
        public NetworkBuilder internal() { internal = true; return this; }
        /** A network made outside the topology, used as it is. */
        public NetworkBuilder external() { external = true; return this; }
        public NetworkBuilder name(String realName) { name = realName; return this; }
        public NetworkBuilder label(String key, String value) { labels.put(key, value); return this; }
    }

    static boolean ipv4(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String part : text.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Where a secret's or config's content comes from: a file, literal content, or a variable of krunbox's environment. */
    public static final class SecretBuilder {
        private final String what;
        private String file;
        private String content;
        private String environment;

        SecretBuilder(String what) {
            this.what = what;
        }

        /** A host file, read when a box starts (relative paths against the working directory). */
        public SecretBuilder file(String path) { file = io.krunbox.runtime.base.Invocation.current().resolve(java.nio.file.Path.of(path)).normalize().toString(); return this; }
        public SecretBuilder content(String text) { content = text; return this; }
        /** The value of {@code variable} in krunbox's environment when the topology is built (empty when unset). */
        public SecretBuilder environment(String variable) { environment = variable; return this; }

        Topology.Secret build(String name) {
            int given = (file != null ? 1 : 0) + (content != null ? 1 : 0) + (environment != null ? 1 : 0);
            if (given != 1) {
                throw new IllegalArgumentException(what + " needs exactly one of file(...), content(...) or environment(...)");
            }
            return new Topology.Secret(name, file, environment != null ? Invocation.current().env().getOrDefault(environment, "")
                    : content);
        }
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
        private boolean disabled;

        /** The check's command, run without a shell. */
        public HealthBuilder exec(String... argv) { test = List.of(argv); shell = false; return this; }
        /** The check's command line, run by {@code sh -c}. */
        public HealthBuilder shell(String command) { test = List.of(command); shell = true; return this; }
        public HealthBuilder interval(Duration d) { interval = d; return this; }
        public HealthBuilder timeout(Duration d) { timeout = d; return this; }
        public HealthBuilder startPeriod(Duration d) { startPeriod = d; return this; }
        private Duration startInterval = Duration.ZERO;
        /** How often the check runs in the start period until it first succeeds (compose {@code start_interval}). */
        public HealthBuilder startInterval(Duration d) { startInterval = d; return this; }
        public HealthBuilder retries(int n) { retries = n; return this; }
        /** No health check, not even the image's. */
        public HealthBuilder disable() { disabled = true; return this; }

        HealthCheck build() {
            if (disabled) {
                return null;
            }
            if (test == null) {
                throw new IllegalArgumentException("a healthcheck needs exec(...) or shell(...)");
            }
            HealthCheck base = shell ? HealthCheck.shell(test.get(0)) : HealthCheck.exec(test.toArray(String[]::new));
            return base.withTiming(interval, timeout, startPeriod, retries).withStartInterval(startInterval);
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
        private final Map<String, String> ips = new TreeMap<>();
        private final List<String> dns = new ArrayList<>();
        private final List<String> extraHosts = new ArrayList<>();
        private String stopSignal;
        private Duration stopGrace;
        private final Map<String, Ulimit> ulimits = new TreeMap<>();
        private boolean privileged;
        private final List<String> capAdd = new ArrayList<>();
        private final List<String> capDrop = new ArrayList<>();
        private final List<String> securityOpts = new ArrayList<>();
        private final List<DeviceMapping> devices = new ArrayList<>();
        private final Map<String, String> sysctls = new TreeMap<>();
        private final List<Topology.SecretMount> secretRefs = new ArrayList<>();
        private final List<String> profiles = new ArrayList<>();
        private LogPolicy log = LogPolicy.DEFAULT;

        public BoxBuilder image(String ref) { image = ref; return this; }
        private BuildConfig build;
        /** Build the image from a Dockerfile (the image is then {@code <project>-<box>} unless named). */
        public BoxBuilder build(BuildConfig b) { build = b; return this; }
        /** Build the image from the Dockerfile in {@code context} (an absolute directory). */
        public BoxBuilder build(String context) {
            build = new BuildConfig(context, "Dockerfile", null, null, null, null, null, null, false, false);
            return this;
        }
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
        /**
         * A named volume of the topology (with an absolute {@code source}, a host directory; with an
         * empty one, an anonymous volume of the box) at {@code target}.
         */
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
        public BoxBuilder cpus(double cpuCount) { cpus = cpuCount; return this; }
        public BoxBuilder memory(String size) { memory = size; return this; }
        public BoxBuilder pidsLimit(int n) { pidsLimit = n; return this; }
        public BoxBuilder restart(String policy) { restart = policy; return this; }
        public BoxBuilder label(String key, String value) { labels.put(key, value); return this; }
        public BoxBuilder readOnly() { return readOnly(true); }
        public BoxBuilder readOnly(boolean v) { readOnly = v; return this; }
        public BoxBuilder containerName(String name) { containerName = name; return this; }
        /** On network {@code key} at a fixed address, reached there by its service name and {@code aliases}. */
        public BoxBuilder network(String key, String ipv4, List<String> aliases) {
            networks.put(key, List.copyOf(aliases));
            if (ipv4 != null) {
                ips.put(key, ipv4);
            }
            return this;
        }
        public BoxBuilder dns(String... servers) { dns.addAll(List.of(servers)); return this; }
        /** An {@code /etc/hosts} entry. */
        public BoxBuilder extraHost(String host, String ipv4) { extraHosts.add(host + ":" + ipv4); return this; }
        /** The signal that stops the box ({@code SIGINT}, {@code QUIT}, {@code 15}). */
        public BoxBuilder stopSignal(String signal) { stopSignal = signal; return this; }
        /** How long a stop waits after the stop signal before it kills the box. */
        public BoxBuilder stopGracePeriod(Duration d) { stopGrace = d; return this; }
        public BoxBuilder ulimit(String name, long soft, long hard) { ulimits.put(name, new Ulimit(name, soft, hard)); return this; }
        /** Every capability and device, no seccomp filter: no boundary left but the box's namespaces. */
        public BoxBuilder privileged() { privileged = true; return this; }
        public BoxBuilder capAdd(String... caps) { capAdd.addAll(List.of(caps)); return this; }
        public BoxBuilder capDrop(String... caps) { capDrop.addAll(List.of(caps)); return this; }
        /** As {@code --security-opt}: {@code no-new-privileges}, {@code seccomp=unconfined}, {@code seccomp=PROFILE.json}. */
        public BoxBuilder securityOpt(String... options) { securityOpts.addAll(List.of(options)); return this; }
        /** A host device, {@code HOST[:BOX][:rwm]}. */
        public BoxBuilder device(String... specs) {
            for (String d : specs) {
                devices.add(DeviceMapping.parse(d));
            }
            return this;
        }
        /** A namespaced sysctl ({@code net.*}, {@code kernel.shm*}, ...). */
        public BoxBuilder sysctl(String key, String value) { sysctls.put(key, value); return this; }
        /** Mounts the topology's secret {@code name} at {@code /run/secrets/NAME}. */
        public BoxBuilder secret(String name) { return secret(name, name); }
        /** Mounts the topology's secret {@code name} at {@code target} (relative: under {@code /run/secrets/}). */
        public BoxBuilder secret(String name, String target) {
            secretRefs.add(new Topology.SecretMount("secrets/" + name, target.startsWith("/") ? target : "/run/secrets/" + target));
            return this;
        }
        /** Mounts the topology's config {@code name} at {@code /NAME}. */
        public BoxBuilder config(String name) { return config(name, name); }
        public BoxBuilder config(String name, String target) {
            secretRefs.add(new Topology.SecretMount("configs/" + name, target.startsWith("/") ? target : "/" + target));
            return this;
        }
        /** How big its log may grow: {@code max-size=10m}, {@code max-file=3} (Docker's {@code --log-opt}). */
        public BoxBuilder log(String... options) { log = LogPolicy.parse(List.of(options), log); return this; }
        /** The box is in the topology only while one of these profiles is active. */
        public BoxBuilder profiles(String... names) { profiles.addAll(List.of(names)); return this; }

        Topology.Service service(String project, String name, Map<String, String> netNames, Map<String, String> volNames) {
            if (image == null && build == null) {
                throw new IllegalArgumentException("box " + name + " needs an image: give it one with image(\"NAME\"),"
                        + " or build(\"DIR\")");
            }
            BoxSpec.Builder b = BoxSpec.builder(image == null && build != null ? project + "-" + name : image);
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
            b.stopSignal(stopSignal);
            if (stopGrace != null) {
                b.stopTimeout(stopGrace);
            }
            ulimits.values().forEach(b::ulimit);
            b.privileged(privileged);
            capAdd.forEach(b::capAdd);
            capDrop.forEach(b::capDrop);
            for (String o : securityOpts) {
                SecurityOpt.apply(b, o, TopologyBuilder::readProfile);
            }
            devices.forEach(b::device);
            sysctls.forEach(b::sysctl);
            dns.forEach(b::dns);
            extraHosts.forEach(b::extraHost);
            if (!log.equals(LogPolicy.DEFAULT)) {
                b.log(log);
            }
            health(b);
            ports.forEach(b::port);
            for (String[] v : volumes) {
                boolean ro = v[2].equals("ro");
                if (v[0].isEmpty()) {
                    b.mount(new MountSpec(MountSpec.Type.VOLUME, null, v[1], ro, ""));
                } else if (v[0].startsWith("/")) {
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
                    b.network(new NetworkAttachment(netNames.get(key), all, ips.get(key)));
                });
            }
            Map<String, Topology.Dependency> deps = new LinkedHashMap<>();
            dependsOn.forEach((d, c) -> deps.put(d, new Topology.Dependency(c, true)));
            // secrets before configs, each in the order given, as a compose file's service lists them
            List<Topology.SecretMount> mounts = new ArrayList<>(secretRefs);
            mounts.sort(java.util.Comparator.comparing(m -> m.secret().startsWith("configs/")));
            return new Topology.Service(name, b.build(), replicas, deps, containerName, mounts, build);
        }

        private void health(BoxSpec.Builder b) {
            if (health != null && health.build() != null) {
                b.health(health.build());
            }
        }
    }
}
