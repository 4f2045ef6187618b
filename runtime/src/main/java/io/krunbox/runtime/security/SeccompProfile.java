package io.krunbox.runtime.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageJson;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.Capability;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A seccomp profile in Docker's format ({@code defaultAction}, {@code architectures},
 * {@code syscalls} with names, action, errnoRet, args, includes and excludes), checked when it
 * is read and narrowed to one box's capabilities and this host's architecture for guest-init,
 * which turns it into a BPF filter.
 */
public final class SeccompProfile {
    private static final String DEFAULT_RESOURCE = "/io/krunbox/runtime/security/default-seccomp.json";
    private static final Map<String, String> ACTIONS = Map.of("SCMP_ACT_ALLOW", "allow", "SCMP_ACT_ERRNO", "errno",
            "SCMP_ACT_KILL", "kill_thread", "SCMP_ACT_KILL_THREAD", "kill_thread", "SCMP_ACT_KILL_PROCESS",
            "kill_process", "SCMP_ACT_TRAP", "trap", "SCMP_ACT_LOG", "log", "SCMP_ACT_TRACE", "trace");
    private static final Map<String, String> OPS = Map.of("SCMP_CMP_EQ", "eq", "SCMP_CMP_NE", "ne", "SCMP_CMP_LT", "lt",
            "SCMP_CMP_LE", "le", "SCMP_CMP_GT", "gt", "SCMP_CMP_GE", "ge", "SCMP_CMP_MASKED_EQ", "masked_eq");
    private static volatile SeccompProfile defaultProfile;

    private final JsonNode root;
    private final String origin;

    private SeccompProfile(JsonNode root, String origin) {
        this.root = root;
        this.origin = origin;
    }

    /** krunbox's default profile: an allow-list with the effect of Docker's default. */
    public static SeccompProfile defaultProfile() {
        SeccompProfile p = defaultProfile;
        if (p == null) {
            try (InputStream in = SeccompProfile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new BoxException("the default seccomp profile is missing from krunbox's class path ("
                            + DEFAULT_RESOURCE + "): rebuild krunbox");
                }
                p = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "the default seccomp profile");
            } catch (IOException e) {
                throw new BoxException("cannot read the default seccomp profile: " + e.getMessage(), e);
            }
            defaultProfile = p;
        }
        return p;
    }

    private static volatile SeccompProfile hostOnly;

    /** The filter of --privileged under --userns auto: everything allowed but the calls that act on the host alone. */
    public static SeccompProfile hostOnly() {
        SeccompProfile p = hostOnly;
        if (p == null) {
            try (InputStream in = SeccompProfile.class.getResourceAsStream("/io/krunbox/runtime/security/host-only-seccomp.json")) {
                if (in == null) {
                    throw new BoxException("the host-only seccomp profile is missing from krunbox's class path: rebuild krunbox");
                }
                p = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "the host-only seccomp profile");
            } catch (IOException e) {
                throw new BoxException("cannot read the host-only seccomp profile: " + e.getMessage(), e);
            }
            hostOnly = p;
        }
        return p;
    }

    public static boolean isDefault(SeccompProfile p) {
        return p == defaultProfile();
    }

    /** Reads and checks a profile; {@code origin} names it in errors (a file, a flag). */
    public static SeccompProfile parse(String json, String origin) {
        JsonNode root;
        try {
            root = ImageJson.parse(json.getBytes(StandardCharsets.UTF_8), origin);
        } catch (ImageException e) {
            throw new BoxException("seccomp profile " + origin + " is not JSON: " + e.getMessage()
                    + " (give a profile in Docker's format, or seccomp=unconfined)");
        }
        if (!root.isObject()) {
            throw bad(origin, "it must be a JSON object with defaultAction and syscalls");
        }
        action(root.path("defaultAction"), origin, "defaultAction");
        JsonNode calls = root.path("syscalls");
        if (!calls.isMissingNode() && !calls.isArray()) {
            throw bad(origin, "\"syscalls\" must be an array");
        }
        int i = 0;
        for (JsonNode c : calls) {
            String where = "syscalls[" + i++ + "]";
            if (!c.isObject()) {
                throw bad(origin, where + " must be an object");
            }
            if (names(c).isEmpty()) {
                throw bad(origin, where + " needs \"names\", an array of system call names");
            }
            action(c.path("action"), origin, where + ".action");
            for (String side : List.of("includes", "excludes")) {
                for (JsonNode cap : c.path(side).path("caps")) {
                    try {
                        Capability.parse(cap.asText());
                    } catch (IllegalArgumentException e) {
                        throw bad(origin, where + "." + side + ".caps: " + e.getMessage());
                    }
                }
            }
            int k = 0;
            for (JsonNode a : c.path("args")) {
                String at = where + ".args[" + k++ + "]";
                if (!a.path("index").canConvertToInt() || a.path("index").asInt() < 0 || a.path("index").asInt() > 5) {
                    throw bad(origin, at + ".index must be 0-5");
                }
                if (!OPS.containsKey(a.path("op").asText())) {
                    throw bad(origin, at + ".op \"" + a.path("op").asText() + "\" is not one of " + OPS.keySet());
                }
                if (!a.path("value").isIntegralNumber() || (a.has("valueTwo") && !a.path("valueTwo").isIntegralNumber())) {
                    throw bad(origin, at + " needs a numeric value (and valueTwo)");
                }
            }
        }
        return new SeccompProfile(root, origin);
    }

    /** A profile file's text, read (at most 1 MiB) and checked, for the front ends to store with the box. */
    public static String readFile(java.nio.file.Path file) {
        try {
            if (java.nio.file.Files.size(file) > (1 << 20)) {
                throw new BoxException("seccomp profile " + file + " is larger than 1 MiB");
            }
            String text = java.nio.file.Files.readString(file);
            parse(text, file.toString());
            return text;
        } catch (IOException e) {
            throw new BoxException("cannot read seccomp profile " + file + ": " + e.getMessage()
                    + " (give a profile in Docker's format, or seccomp=unconfined)");
        }
    }

    private static BoxException bad(String origin, String what) {
        return new BoxException("seccomp profile " + origin + ": " + what);
    }

    private static String action(JsonNode n, String origin, String where) {
        String a = n.asText("");
        if (a.equals("SCMP_ACT_NOTIFY")) {
            throw bad(origin, where + " SCMP_ACT_NOTIFY needs a seccomp agent, which krunbox does not have");
        }
        String mapped = ACTIONS.get(a);
        if (mapped == null) {
            throw bad(origin, where + " \"" + a + "\" is not one of " + new java.util.TreeSet<>(ACTIONS.keySet()));
        }
        return mapped;
    }

    private static List<String> names(JsonNode c) {
        List<String> out = new ArrayList<>();
        c.path("names").forEach(n -> out.add(n.asText()));
        if (c.path("name").isTextual()) {
            out.add(c.path("name").asText()); // the older single-name form
        }
        return out;
    }

    public String origin() {
        return origin;
    }

    /** Docker's name of this host's architecture. */
    static String nativeArch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return a.equals("aarch64") || a.equals("arm64") ? "SCMP_ARCH_AARCH64" : "SCMP_ARCH_X86_64";
    }

    /** Whether a profile's architecture name ({@code SCMP_ARCH_X86_64}, {@code amd64}, {@code arm64}, ...) is this host's. */
    static boolean isNative(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("scmp_arch_", "");
        return nativeArch().equals("SCMP_ARCH_AARCH64") ? n.equals("aarch64") || n.equals("arm64")
                : n.equals("x86_64") || n.equals("amd64");
    }

    private Set<Capability> lastCaps;
    private Map<String, Object> lastRules;

    /** The rules that apply to a box holding {@code caps}, in guest-init's form (config.json's "seccomp"). */
    public synchronized Map<String, Object> forBox(Set<Capability> caps) {
        // a start asks for the same set several times (plan, config, inspect): worked out once
        if (!caps.equals(lastCaps)) {
            lastRules = java.util.Collections.unmodifiableMap(rulesFor(caps));
            lastCaps = Set.copyOf(caps);
        }
        return lastRules;
    }

    private Map<String, Object> rulesFor(Set<Capability> caps) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("default_action", action(root.path("defaultAction"), origin, "defaultAction"));
        out.put("default_errno", root.path("defaultErrnoRet").asInt(1));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (JsonNode c : root.path("syscalls")) {
            if (!applies(c, caps)) {
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("names", names(c));
            r.put("action", action(c.path("action"), origin, "action"));
            r.put("errno", c.path("errnoRet").asInt(1));
            List<Map<String, Object>> args = new ArrayList<>();
            for (JsonNode a : c.path("args")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", a.path("index").asInt());
                // as text: 64-bit values do not survive a JSON double
                m.put("value", Long.toUnsignedString(a.path("value").asLong()));
                m.put("value_two", Long.toUnsignedString(a.path("valueTwo").asLong(0)));
                m.put("op", OPS.get(a.path("op").asText()));
                args.add(m);
            }
            if (!args.isEmpty()) {
                r.put("args", args);
            }
            rules.add(r);
        }
        out.put("rules", rules);
        return out;
    }

    private static boolean applies(JsonNode c, Set<Capability> caps) {
        JsonNode inc = c.path("includes"), exc = c.path("excludes");
        for (JsonNode cap : inc.path("caps")) {
            if (!caps.contains(Capability.parse(cap.asText()))) {
                return false;
            }
        }
        if (inc.path("arches").isArray() && inc.path("arches").size() > 0) {
            boolean any = false;
            for (JsonNode a : inc.path("arches")) {
                any |= isNative(a.asText());
            }
            if (!any) {
                return false;
            }
        }
        for (JsonNode cap : exc.path("caps")) {
            if (caps.contains(Capability.parse(cap.asText()))) {
                return false;
            }
        }
        for (JsonNode a : exc.path("arches")) {
            if (isNative(a.asText())) {
                return false;
            }
        }
        return true;
    }
}
