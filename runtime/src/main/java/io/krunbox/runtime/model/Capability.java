package io.krunbox.runtime.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A Linux capability (capabilities(7)), numbered as the kernel numbers it. */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    /** Docker's default set: what a box's root holds unless told otherwise (mask 0xa80425fb). */
    public static final Set<Capability> DOCKER_DEFAULT = java.util.Collections.unmodifiableSet(EnumSet.of(CHOWN,
            DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD,
            AUDIT_WRITE, SETFCAP));

    /** The bit of this capability in a mask such as /proc/self/status's CapEff. */
    public long bit() {
        return 1L << ordinal();
    }

    /** {@code NET_ADMIN}, {@code CAP_NET_ADMIN} or {@code net_admin}; {@code ALL} is not a capability (see {@link #parseList}). */
    public static Capability parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("CAP_")) {
            n = n.substring(4);
        }
        for (Capability c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("\"" + name + "\" is not a capability: use a name of capabilities(7) such as"
                + " NET_ADMIN or SYS_PTRACE, or ALL");
    }

    /** Whether the word means every capability. */
    public static boolean isAll(String name) {
        return name.trim().equalsIgnoreCase("ALL") || name.trim().equalsIgnoreCase("CAP_ALL");
    }

    public static long mask(Set<Capability> caps) {
        return caps.stream().mapToLong(Capability::bit).reduce(0, (a, b) -> a | b);
    }

    public static Set<Capability> all() {
        return EnumSet.copyOf(Arrays.asList(values()));
    }
}
