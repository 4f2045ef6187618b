package io.krunbox.runtime.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a box may do beyond its defaults, as Docker's flags say it: {@code --privileged},
 * {@code --cap-add}, {@code --cap-drop}, {@code --security-opt seccomp=...} and
 * {@code no-new-privileges}, {@code --device}, {@code --sysctl} and {@code --userns}.
 *
 * @param seccomp null for the default profile, {@code unconfined}, or a profile's JSON text (Docker's format)
 * @param userns  {@code host} (the box's root is the host's root, confined) or {@code auto}
 */
public record SecurityOptions(boolean privileged, List<String> capAdd, List<String> capDrop, String seccomp,
                              boolean noNewPrivileges, List<DeviceMapping> devices, Map<String, String> sysctls,
                              String userns) {
    public static final String UNCONFINED = "unconfined";
    public static final SecurityOptions DEFAULT = new SecurityOptions(false, List.of(), List.of(), null, false, List.of(),
            Map.of(), "host");

    /** The sysctl prefixes that a box's own namespaces hold (Docker's list); the rest would change the host. */
    public static final List<String> NAMESPACED_SYSCTLS = List.of("net.", "kernel.shm", "kernel.msg", "kernel.sem",
            "fs.mqueue.");

    public SecurityOptions {
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        for (String c : capAdd) {
            if (!Capability.isAll(c)) {
                Capability.parse(c);
            }
        }
        for (String c : capDrop) {
            if (!Capability.isAll(c)) {
                Capability.parse(c);
            }
        }
        devices = devices == null ? List.of() : List.copyOf(devices);
        sysctls = sysctls == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(sysctls));
        for (Map.Entry<String, String> e : sysctls.entrySet()) {
            checkSysctl(e.getKey(), e.getValue());
        }
        userns = userns == null || userns.isEmpty() ? "host" : userns;
        if (!userns.equals("host") && !userns.equals("auto")) {
            throw new IllegalArgumentException("--userns \"" + userns + "\": use host or auto");
        }
        if (seccomp != null && seccomp.isBlank()) {
            seccomp = null;
        }
    }

    private static void checkSysctl(String key, String value) {
        if (!key.matches("[a-z0-9_]+(\\.[A-Za-z0-9_-]+)+")) {
            throw new IllegalArgumentException("sysctl \"" + key + "\" is not a dotted sysctl name such as net.ipv4.ip_forward");
        }
        if (NAMESPACED_SYSCTLS.stream().noneMatch(key::startsWith)) {
            throw new IllegalArgumentException("sysctl " + key + " is not namespaced: it would change the host, so a box"
                    + " cannot set it (allowed: net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*)");
        }
        if (value == null || value.isEmpty() || value.contains("\n")) {
            throw new IllegalArgumentException("sysctl " + key + " needs a value on one line (KEY=VALUE)");
        }
    }

    /** {@code KEY=VALUE} of {@code --sysctl}. */
    public static Map.Entry<String, String> parseSysctl(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("sysctl \"" + text + "\" is not KEY=VALUE");
        }
        checkSysctl(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
        return Map.entry(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    public boolean seccompUnconfined() {
        return UNCONFINED.equals(seccomp);
    }

    /** The same options with one change, for the front ends. */
    public SecurityOptions withPrivileged(boolean v) {
        return new SecurityOptions(v, capAdd, capDrop, seccomp, noNewPrivileges, devices, sysctls, userns);
    }
}
