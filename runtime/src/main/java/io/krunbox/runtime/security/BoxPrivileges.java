package io.krunbox.runtime.security;

import io.krunbox.runtime.model.Capability;
import io.krunbox.runtime.model.DeviceMapping;
import io.krunbox.runtime.model.SecurityOptions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one box's processes may do, worked out from its {@link SecurityOptions}: the
 * capability set (bounding, and for root also permitted, effective and inheritable), the
 * seccomp profile (null: unconfined), no_new_privs, the /proc and /sys paths hidden or made
 * read-only, sysctls, and the host devices it may open. guest-init applies it to the workload,
 * every exec and every health check; the devices are the launcher's and the cgroup's part.
 */
public record BoxPrivileges(boolean privileged, Set<Capability> capabilities, SeccompProfile seccomp,
                            boolean noNewPrivileges, List<String> maskedPaths, List<String> readOnlyPaths,
                            Map<String, String> sysctls, List<DeviceMapping> devices, String userns, long usernsBase) {

    /** Docker's masked paths: files and directories of /proc and /sys that tell about, or reach, the host. */
    public static final List<String> MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");
    /** Docker's read-only paths, and /sys. */
    public static final List<String> READ_ONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger", "/sys");

    public BoxPrivileges {
        capabilities = capabilities.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
        maskedPaths = List.copyOf(maskedPaths);
        readOnlyPaths = List.copyOf(readOnlyPaths);
        sysctls = Map.copyOf(sysctls);
        devices = List.copyOf(devices);
    }

    public static BoxPrivileges of(SecurityOptions o) {
        return of(o, io.krunbox.runtime.limits.BoxCgroup.devicesAvailable());
    }

    /**
     * As {@link #of(SecurityOptions)}; {@code devicesControlled}: whether the host's devices cgroup
     * denies the box every device it was not given. Where it cannot, MKNOD is not granted either
     * (unless privileged): a node the box made could otherwise open a host device.
     */
    public static BoxPrivileges of(SecurityOptions o, boolean devicesControlled) {
        o = o == null ? SecurityOptions.DEFAULT : o;
        Set<Capability> caps = o.privileged() ? Capability.all() : capabilities(o.capAdd(), o.capDrop());
        if (!o.privileged() && !devicesControlled && caps.contains(Capability.MKNOD)) {
            caps = EnumSet.copyOf(caps);
            caps.remove(Capability.MKNOD);
        }
        SeccompProfile profile = o.privileged() || o.seccompUnconfined() ? null
                : o.seccomp() == null ? SeccompProfile.defaultProfile()
                : SeccompProfile.parse(o.seccomp(), "given with --security-opt seccomp=");
        boolean auto = o.userns().equals("auto");
        if (auto && o.privileged()) {
            // every capability, but inside the box's user namespace; what acts on the host alone is filtered as well
            profile = o.seccompUnconfined() ? null : SeccompProfile.hostOnly();
        }
        Map<String, String> sysctls = new java.util.TreeMap<>(o.sysctls());
        if (auto) {
            // the network namespace is the host root's: without these the box's root could not bind port 80 or ping
            sysctls.putIfAbsent("net.ipv4.ip_unprivileged_port_start", "0");
            sysctls.putIfAbsent("net.ipv4.ping_group_range", "0 2147483647");
        }
        return new BoxPrivileges(o.privileged(), caps, profile, o.noNewPrivileges(),
                o.privileged() ? List.of() : MASKED, o.privileged() ? List.of() : READ_ONLY, sysctls, o.devices(),
                o.userns(), -1);
    }

    /** The same privileges in the box's user namespace, whose root is host id {@code base} ({@code --userns auto}). */
    public BoxPrivileges withUsernsBase(long base) {
        return new BoxPrivileges(privileged, capabilities, seccomp, noNewPrivileges, maskedPaths, readOnlyPaths, sysctls,
                devices, userns, base);
    }

    public boolean usernsAuto() {
        return userns.equals("auto");
    }

    /** Whether the box gets the host's /dev and every device: --privileged in the host's user namespace only. */
    public boolean hostDevices() {
        return privileged && !usernsAuto();
    }

    /** Docker's rules: ALL in --cap-add is everything but the drops; ALL in --cap-drop leaves only the adds. */
    static Set<Capability> capabilities(List<String> add, List<String> drop) {
        boolean addAll = add.stream().anyMatch(Capability::isAll), dropAll = drop.stream().anyMatch(Capability::isAll);
        Set<Capability> adds = EnumSet.noneOf(Capability.class), drops = EnumSet.noneOf(Capability.class);
        add.stream().filter(c -> !Capability.isAll(c)).map(Capability::parse).forEach(adds::add);
        drop.stream().filter(c -> !Capability.isAll(c)).map(Capability::parse).forEach(drops::add);
        Set<Capability> caps;
        if (addAll) {
            caps = Capability.all();
            caps.removeAll(drops);
        } else if (dropAll) {
            caps = adds;
        } else {
            caps = EnumSet.copyOf(Capability.DOCKER_DEFAULT);
            caps.addAll(adds);
            caps.removeAll(drops);
        }
        return caps;
    }

    public long capabilityMask() {
        return Capability.mask(capabilities);
    }

    /** config.json's "security", as guest-init reads it. */
    public Map<String, Object> guestConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("privileged", privileged);
        m.put("capabilities", capabilities.stream().map(Enum::ordinal).toList());
        m.put("no_new_privileges", noNewPrivileges);
        m.put("masked_paths", maskedPaths);
        m.put("readonly_paths", readOnlyPaths);
        m.put("sysctls", new java.util.TreeMap<>(sysctls));
        m.put("seccomp", seccomp == null ? null : seccomp.forBox(capabilities));
        if (usernsAuto()) {
            if (usernsBase < 0) {
                throw new IllegalStateException("a --userns auto box's range is allocated before its config is written");
            }
            m.put("userns", Map.of("base", usernsBase, "count", io.krunbox.runtime.state.UsernsRanges.SIZE));
        }
        return m;
    }

    /** The devices a sandbox box gets: the standard ones, for mknod any (as Docker allows), opened: none other. */
    static final List<String> STANDARD_DEVICES = List.of("c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",
            "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm");

    /** The box's devices cgroup ({@code devices.allow} lines): the standard devices and each --device. */
    public List<String> deviceRules() {
        if (hostDevices()) {
            return List.of("a *:* rwm");
        }
        List<String> rules = new ArrayList<>(STANDARD_DEVICES);
        for (DeviceMapping d : devices) {
            rules.add(deviceRule(d));
        }
        return rules;
    }

    private static String deviceRule(DeviceMapping d) {
        try {
            java.nio.file.Path p = java.nio.file.Path.of(d.hostPath());
            int mode = (Integer) java.nio.file.Files.getAttribute(p, "unix:mode");
            long rdev = (Long) java.nio.file.Files.getAttribute(p, "unix:rdev");
            char type = (mode & 0170000) == 0020000 ? 'c' : (mode & 0170000) == 0060000 ? 'b' : '?';
            if (type == '?') {
                throw new io.krunbox.runtime.base.BoxException("--device " + d.hostPath() + " is not a device node");
            }
            long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
            return type + " " + major + ":" + minor + " " + d.permissions();
        } catch (java.io.IOException e) {
            throw new io.krunbox.runtime.base.BoxException("--device " + d.hostPath() + ": " + e.getMessage()
                    + " (is the device there on this host?)");
        }
    }

    /** The plan's words for it; the devices cgroup is the sandbox's (a VM's guest has its own devices). */
    public String describe(boolean sandbox) {
        List<String> parts = new ArrayList<>();
        parts.add(privileged && usernsAuto() ? "privileged in its user namespace: every capability there, the host-only"
                + " system calls filtered, the standard devices"
                : privileged ? "privileged: every capability, no seccomp filter, /sys writable, every device"
                : "capabilities " + String.format("0x%016x", capabilityMask()) + " ("
                + String.join(" ", capabilities.stream().map(Enum::name).toList()) + ")");
        if (!privileged) {
            if (seccomp == null) {
                parts.add("seccomp unconfined");
            } else {
                Map<String, Object> rules = seccomp.forBox(capabilities);
                parts.add("seccomp " + (SeccompProfile.isDefault(seccomp) ? "default" : seccomp.origin()) + " ("
                        + ((List<?>) rules.get("rules")).size() + " rules, otherwise " + rules.get("default_action") + ")");
            }
            parts.add("masked " + maskedPaths.size() + " paths, read-only " + String.join(" ", readOnlyPaths));
            if (sandbox) {
                parts.add("devices null zero full random urandom tty console ptmx pts" + (devices.isEmpty() ? ""
                        : " " + String.join(" ", devices.stream().map(DeviceMapping::toString).toList())));
            }
        }
        if (noNewPrivileges) {
            parts.add("no-new-privileges");
        }
        if (!sysctls.isEmpty()) {
            parts.add("sysctls " + new java.util.TreeMap<>(sysctls));
        }
        parts.add(usernsAuto() ? "userns auto (the box's ids 0-65535 are a host range of its own"
                + (usernsBase >= 0 ? " from " + usernsBase : ", allocated in state.db") + ")" : "userns host");
        return String.join(", ", parts);
    }

    /** What {@code inspect} shows under HostConfig, in Docker's names. */
    public Map<String, Object> inspect() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Privileged", privileged);
        m.put("CapEff", String.format("%016x", capabilityMask()));
        m.put("Capabilities", capabilities.stream().map(c -> "CAP_" + c.name()).toList());
        m.put("SecurityOpt", securityOpt());
        m.put("MaskedPaths", maskedPaths);
        m.put("ReadonlyPaths", readOnlyPaths);
        m.put("Devices", devices.stream().map(DeviceMapping::toString).toList());
        m.put("Sysctls", new java.util.TreeMap<>(sysctls));
        m.put("UsernsMode", userns);
        if (usernsBase >= 0) {
            m.put("UsernsRange", usernsBase + "-" + (usernsBase + io.krunbox.runtime.state.UsernsRanges.SIZE - 1));
        }
        return m;
    }

    private List<String> securityOpt() {
        List<String> out = new ArrayList<>();
        out.add("seccomp=" + (seccomp == null ? "unconfined" : SeccompProfile.isDefault(seccomp) ? "default" : "profile"));
        if (noNewPrivileges) {
            out.add("no-new-privileges");
        }
        return out;
    }
}
