package io.krunbox.runtime.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the user asked for one box. Nulls mean "not given": the image's value, a generated
 * name, or the host's default isolation applies.
 *
 * @param command    arguments after the image (replaces the image's Cmd), null for the image's
 * @param entrypoint replaces the image's Entrypoint (and drops its Cmd, as Docker does), null for the image's
 * @param env        {@code KEY=VALUE} entries, applied over the image's
 * @param memoryMib  guest memory for vm
 * @param kernel     a kernel the host can boot, instead of libkrunfw's (vm only)
 */
public record BoxSpec(
        String name,
        String image,
        List<String> command,
        List<String> entrypoint,
        List<String> env,
        String workdir,
        String user,
        String hostname,
        Isolation isolation,
        int cpus,
        int memoryMib,
        boolean remove,
        String kernel,
        Duration bootTimeout,
        HealthCheck health,
        RestartPolicy restart,
        int pidsLimit,
        List<NetworkAttachment> networks,
        List<PortMapping> ports,
        boolean publishAll,
        List<String> dns,
        List<String> extraHosts,
        List<MountSpec> mounts,
        boolean readOnly,
        java.util.Map<String, String> labels,
        StopPolicy stop,
        List<Ulimit> ulimits,
        SecurityOptions security,
        LogPolicy log) {

    public static final int DEFAULT_CPUS = 1;
    public static final int DEFAULT_MEMORY_MIB = 512;
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(10);

    public BoxSpec {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("a box needs an image");
        }
        command = command == null ? null : List.copyOf(command);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        env = env == null ? List.of() : List.copyOf(env);
        for (String e : env) {
            if (!e.contains("=") || e.startsWith("=")) {
                throw new IllegalArgumentException("environment entry \"" + e + "\" is not KEY=VALUE");
            }
        }
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("cpus must be between 1 and 255, got " + cpus);
        }
        if (memoryMib < 16) {
            throw new IllegalArgumentException("memory must be at least 16 MiB, got " + memoryMib + " MiB");
        }
        bootTimeout = bootTimeout == null ? DEFAULT_BOOT_TIMEOUT : bootTimeout;
        restart = restart == null ? RestartPolicy.NO : restart;
        if (pidsLimit < 0) {
            throw new IllegalArgumentException("pids limit must be positive (0: no limit), got " + pidsLimit);
        }
        networks = networks == null || networks.isEmpty() ? List.of(NetworkAttachment.of(NetworkAttachment.DEFAULT))
                : List.copyOf(networks);
        ports = ports == null ? List.of() : List.copyOf(ports);
        dns = dns == null ? List.of() : List.copyOf(dns);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        labels = labels == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
        stop = stop == null ? StopPolicy.DEFAULT : stop;
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        security = security == null ? SecurityOptions.DEFAULT : security;
        log = log == null ? LogPolicy.DEFAULT : log;
        if (ulimits.stream().map(Ulimit::name).distinct().count() < ulimits.size()) {
            throw new IllegalArgumentException("a ulimit is given twice: keep one per resource");
        }
        checkNetworks(networks, ports, publishAll);
        for (String d : dns) {
            if (!d.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException("--dns \"" + d + "\" is not an IPv4 address");
            }
        }
        for (String h : extraHosts) {
            if (!h.matches("[A-Za-z0-9][A-Za-z0-9_.-]*:\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException("--add-host \"" + h + "\" is not HOST:IPv4");
            }
        }
        java.util.Set<String> targets = new java.util.HashSet<>();
        for (MountSpec m : mounts) {
            if (!targets.add(m.target())) {
                throw new IllegalArgumentException("two mounts target " + m.target() + ": keep one");
            }
        }
        if (remove && restart.mode() != RestartPolicy.Mode.NO) {
            throw new IllegalArgumentException("--rm and --restart " + restart + " contradict each other: choose one");
        }
    }

    private static void checkNetworks(List<NetworkAttachment> networks, List<PortMapping> ports, boolean publishAll) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (NetworkAttachment n : networks) {
            if (!seen.add(n.network())) {
                throw new IllegalArgumentException("network " + n.network() + " is given twice");
            }
            if (n.isMode() && networks.size() > 1) {
                throw new IllegalArgumentException("--network " + n.network() + " cannot be combined with other networks");
            }
            if (n.isMode() && (!n.aliases().isEmpty() || n.ip() != null)) {
                throw new IllegalArgumentException("--network " + n.network() + " takes no alias or --ip");
            }
        }
        if (networks.get(0).network().equals(NetworkAttachment.NONE) && (!ports.isEmpty() || publishAll)) {
            throw new IllegalArgumentException("a box with --network none cannot publish ports");
        }
    }

    /** The same spec with other networks and ports (connect / disconnect). */
    public BoxSpec withNetworks(List<NetworkAttachment> nets, List<PortMapping> newPorts) {
        return toBuilder().networks(nets).portList(newPorts).publishAll(false).build();
    }

    /** The same spec under another box name. */
    public BoxSpec withName(String newName) {
        return toBuilder().name(newName).build();
    }

    /** The same spec with concrete ports and mounts (what create records). */
    public BoxSpec resolved(List<PortMapping> newPorts, List<MountSpec> newMounts) {
        return toBuilder().portList(newPorts).publishAll(false).mounts(newMounts).build();
    }

    /** Whether the box sits on bridge networks (not none or tsi). */
    public boolean bridged() {
        return !networks.get(0).isMode();
    }

    public static Builder builder(String image) {
        return new Builder(image);
    }

    /** A builder holding every field of this spec, to change a few and build another. */
    public Builder toBuilder() {
        Builder b = new Builder(image);
        b.name = name;
        b.command = command;
        b.entrypoint = entrypoint;
        b.env.addAll(env);
        b.workdir = workdir;
        b.user = user;
        b.hostname = hostname;
        b.isolation = isolation;
        b.cpus = cpus;
        b.memoryMib = memoryMib;
        b.remove = remove;
        b.kernel = kernel;
        b.bootTimeout = bootTimeout;
        b.health = health;
        b.restart = restart;
        b.pidsLimit = pidsLimit;
        b.networks.addAll(networks);
        b.ports.addAll(ports);
        b.publishAll = publishAll;
        b.dns.addAll(dns);
        b.extraHosts.addAll(extraHosts);
        b.mounts.addAll(mounts);
        b.readOnly = readOnly;
        b.labels.putAll(labels);
        b.stop(stop);
        b.ulimits.addAll(ulimits);
        b.security(security);
        b.log = log;
        return b;
    }

    /** Fluent construction, for Java callers and the front ends. */
    public static final class Builder {
        private String name;
        private String image;
        private List<String> command;
        private List<String> entrypoint;
        private final List<String> env = new ArrayList<>();
        private String workdir;
        private String user;
        private String hostname;
        private Isolation isolation;
        private int cpus = DEFAULT_CPUS;
        private int memoryMib = DEFAULT_MEMORY_MIB;
        private boolean remove;
        private String kernel;
        private Duration bootTimeout;
        private HealthCheck health;
        private RestartPolicy restart;
        private int pidsLimit;
        private final List<NetworkAttachment> networks = new ArrayList<>();
        private final List<PortMapping> ports = new ArrayList<>();
        private boolean publishAll;
        private final List<String> dns = new ArrayList<>();
        private final List<String> extraHosts = new ArrayList<>();
        private final List<MountSpec> mounts = new ArrayList<>();
        private boolean readOnly;
        private final java.util.Map<String, String> labels = new java.util.TreeMap<>();
        private String stopSignal;
        private Duration stopTimeout;
        private final List<Ulimit> ulimits = new ArrayList<>();
        private boolean privileged;
        private final List<String> capAdd = new ArrayList<>();
        private final List<String> capDrop = new ArrayList<>();
        private String seccomp;
        private boolean noNewPrivileges;
        private final List<DeviceMapping> devices = new ArrayList<>();
        private final java.util.Map<String, String> sysctls = new java.util.TreeMap<>();
        private String userns;
        private LogPolicy log;

        private Builder(String image) {
            this.image = image;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder image(String v) { image = v; return this; }
        /** Replaces the environment. */
        public Builder envList(List<String> v) { env.clear(); env.addAll(v); return this; }
        /** Replaces the networks. */
        public Builder networks(List<NetworkAttachment> v) { networks.clear(); networks.addAll(v); return this; }
        /** Replaces the ports (where {@link #ports(List)} adds). */
        public Builder portList(List<PortMapping> v) { ports.clear(); ports.addAll(v); return this; }
        /** Replaces the mounts. */
        public Builder mounts(List<MountSpec> v) { mounts.clear(); mounts.addAll(v); return this; }
        /** Replaces the labels. */
        public Builder labelMap(java.util.Map<String, String> v) { labels.clear(); labels.putAll(v); return this; }
        public Builder ulimits(List<Ulimit> v) { ulimits.clear(); if (v != null) { ulimits.addAll(v); } return this; }
        public Builder stop(StopPolicy v) {
            stopSignal = v == null ? null : v.signal();
            stopTimeout = v == null ? null : v.grace();
            return this;
        }
        public Builder security(SecurityOptions v) {
            SecurityOptions s = v == null ? SecurityOptions.DEFAULT : v;
            privileged = s.privileged();
            capAdd.clear();
            capAdd.addAll(s.capAdd());
            capDrop.clear();
            capDrop.addAll(s.capDrop());
            seccomp = s.seccomp();
            noNewPrivileges = s.noNewPrivileges();
            devices.clear();
            devices.addAll(s.devices());
            sysctls.clear();
            sysctls.putAll(s.sysctls());
            userns = s.userns();
            return this;
        }
        public Builder command(List<String> v) { command = v; return this; }
        public Builder command(String... v) { command = List.of(v); return this; }
        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
        public Builder env(String keyValue) { env.add(keyValue); return this; }
        public Builder env(List<String> v) { env.addAll(v); return this; }
        public Builder workdir(String v) { workdir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder isolation(Isolation v) { isolation = v; return this; }
        public Builder cpus(int v) { cpus = v; return this; }
        public Builder memoryMib(int v) { memoryMib = v; return this; }
        public Builder remove(boolean v) { remove = v; return this; }
        public Builder kernel(String v) { kernel = v; return this; }
        public Builder bootTimeout(Duration v) { bootTimeout = v; return this; }
        public Builder health(HealthCheck v) { health = v; return this; }
        public Builder restart(RestartPolicy v) { restart = v; return this; }
        public Builder pidsLimit(int v) { pidsLimit = v; return this; }
        public Builder network(NetworkAttachment v) { networks.add(v); return this; }
        public Builder network(String v) { networks.add(NetworkAttachment.of(v)); return this; }
        public Builder port(PortMapping v) { ports.add(v); return this; }
        public Builder ports(List<PortMapping> v) { ports.addAll(v); return this; }
        public Builder publishAll(boolean v) { publishAll = v; return this; }
        public Builder dns(String v) { dns.add(v); return this; }
        public Builder extraHost(String v) { extraHosts.add(v); return this; }
        public Builder mount(MountSpec v) { mounts.add(v); return this; }
        public Builder readOnly(boolean v) { readOnly = v; return this; }
        public Builder label(String key, String value) { labels.put(key, value); return this; }
        public Builder labels(java.util.Map<String, String> v) { labels.putAll(v); return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder stopTimeout(Duration v) { stopTimeout = v; return this; }
        public Builder ulimit(Ulimit v) { ulimits.add(v); return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder capAdd(String v) { capAdd.add(v); return this; }
        public Builder capDrop(String v) { capDrop.add(v); return this; }
        /** null: the default profile; {@code unconfined}; or a profile's JSON text. */
        public Builder seccomp(String v) { seccomp = v; return this; }
        public Builder noNewPrivileges(boolean v) { noNewPrivileges = v; return this; }
        public Builder device(DeviceMapping v) { devices.add(v); return this; }
        public Builder sysctl(String key, String value) { sysctls.put(key, value); return this; }
        public Builder userns(String v) { userns = v; return this; }
        /** How big the box's log may grow (null: {@link LogPolicy#DEFAULT}). */
        public Builder log(LogPolicy v) { log = v; return this; }

        public BoxSpec build() {
            return new BoxSpec(name, image, command, entrypoint, env, workdir, user, hostname, isolation, cpus,
                    memoryMib, remove, kernel, bootTimeout, health, restart, pidsLimit, networks, ports, publishAll, dns,
                    extraHosts, mounts, readOnly, labels, new StopPolicy(stopSignal, stopTimeout), ulimits,
                    new SecurityOptions(privileged, capAdd, capDrop, seccomp, noNewPrivileges, devices, sysctls, userns), log);
        }
    }
}
