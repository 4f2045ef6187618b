package io.krunbox.compose.convert;

import io.krunbox.compose.load.DotEnv;
import io.krunbox.compose.yaml.YNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One service: every key checked against the schema and written in its canonical (long) form. */
final class ServiceNormalizer {
    static final Set<String> UNHONOURED = Set.of("platform", "pid", "ipc", "shm_size", "userns_mode", "cgroup_parent", "runtime",
            "isolation", "mac_address", "oom_score_adj", "oom_kill_disable", "storage_opt", "tty", "stdin_open",
            "group_add", "domainname", "links", "external_links", "dns_search", "dns_opt", "labels_file", "develop",
            "device_cgroup_rules", "cpu_shares", "cpuset", "cpu_quota", "cpu_period", "memswap_limit", "mem_reservation",
            "blkio_config", "volumes_from", "annotations", "attach", "pull_policy", "scale", "gpus", "models");
    /** Sizes among the keys krunbox keeps without acting on them: Compose prints them in bytes. */
    static final Set<String> SIZES = Set.of("shm_size", "mem_reservation", "memswap_limit");
    static final Set<String> KNOWN = Set.of("image", "command", "entrypoint", "environment", "env_file", "ports", "expose",
            "volumes", "tmpfs", "networks", "network_mode", "depends_on", "healthcheck", "restart", "deploy", "cpus",
            "mem_limit", "pids_limit", "working_dir", "user", "hostname", "container_name", "labels", "extra_hosts", "dns",
            "init", "stop_signal", "stop_grace_period", "read_only", "ulimits", "profiles", "secrets", "configs", "extends",
            "cap_add", "cap_drop", "privileged", "security_opt", "devices", "sysctls", "build");

    private final Problems p;
    private final Values v;
    private final Path dir;
    private final Map<String, String> env;
    final List<String> unhonoured = new ArrayList<>();

    ServiceNormalizer(Problems p, Path dir, Map<String, String> env) {
        this.p = p;
        this.v = new Values(p);
        this.dir = dir;
        this.env = env;
    }

    Map<String, Object> service(String name, YNode.Mapping s) {
        String at = "services." + name;
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, YNode> e : s.entries().entrySet()) {
            String key = e.getKey();
            YNode n = e.getValue();
            String path = at + "." + key;
            if (key.startsWith("x-")) {
                out.put(key, YNode.plain(n)); // kept as written, for the user's tools
                continue;
            }
            if (key.equals("logging")) {
                logging(n, path);
                out.put(key, YNode.plain(n)); // as Docker Compose prints it
                continue;
            }
            if (UNHONOURED.contains(key)) {
                unhonoured.add(path + ": " + reason(key));
                out.put(key, kept(key, n)); // in the model, as Docker Compose prints it, though not acted on
                continue;
            }
            if (!KNOWN.contains(key)) {
                p.unknown(s.keyLoc(key), path, "unknown key \"" + key + "\" (ignored)");
                continue;
            }
            try {
                Object value = key(name, key, n, path);
                if (value != null) {
                    out.put(key, value);
                }
            } catch (IllegalArgumentException bad) {
                p.error(n, path, bad.getMessage());
            }
        }
        if (!out.containsKey("image") && !out.containsKey("build")) {
            p.error(s.loc(), at, "no image: every service needs one, or a build: to make it");
        }
        environment(s, at, out);
        return out;
    }

    /** The drivers whose files krunbox writes; their max-size and max-file are honoured (a box's log rotates). */
    static final Set<String> FILE_DRIVERS = Set.of("json-file", "local", "k8s-file");

    private void logging(YNode n, String path) {
        if (!(n instanceof YNode.Mapping m)) {
            p.error(n, path, "must be a mapping (driver:, options:)");
            return;
        }
        String driver = m.get("driver") == null ? null : v.string(m.get("driver"), path + ".driver");
        if (driver != null && !FILE_DRIVERS.contains(driver)) {
            unhonoured.add(path + ".driver: " + driver + ": krunbox writes each box's log to its own file (json-file,"
                    + " local, k8s-file)");
        }
        if (m.get("options") instanceof YNode.Mapping o) {
            for (String k : o.entries().keySet()) {
                if (!k.equals("max-size") && !k.equals("max-file")) {
                    unhonoured.add(path + ".options." + k + ": only max-size and max-file are honoured");
                } else {
                    try {
                        io.krunbox.runtime.model.LogPolicy.parse(java.util.List.of(k + "=" + v.string(o.get(k),
                                path + ".options." + k)), io.krunbox.runtime.model.LogPolicy.DEFAULT);
                    } catch (IllegalArgumentException bad) {
                        p.error(o.get(k), path + ".options." + k, bad.getMessage());
                    }
                }
            }
        } else if (m.get("options") != null) {
            p.error(m.get("options"), path + ".options", "must be a mapping (max-size: 10m, max-file: 3)");
        }
    }

    private Object kept(String key, YNode n) {
        if (SIZES.contains(key) && n instanceof YNode.Scalar sc && !sc.isNull() && !sc.value().equals("-1")) {
            return Long.toString(Syntax.bytes(sc.value()));
        }
        return YNode.plain(n);
    }

    private static String reason(String key) {
        return switch (key) {
            case "tty", "stdin_open" -> "boxes started by compose are not attached to a terminal";
            default -> "not supported by krunbox; ignored";
        };
    }

    private Object key(String service, String key, YNode n, String path) {
        switch (key) {
            case "image", "working_dir", "user", "hostname", "container_name", "stop_signal", "restart", "network_mode":
                String s = v.string(n, path);
                if (s != null && key.equals("restart")) {
                    io.krunbox.runtime.model.RestartPolicy.parse(s);
                }
                if (s != null && key.equals("network_mode") && !s.equals("none") && !s.equals("bridge")) {
                    throw new IllegalArgumentException("network_mode \"" + s + "\" is not supported (none or bridge)");
                }
                if (s != null && key.equals("stop_signal")) {
                    io.krunbox.runtime.model.StopPolicy.canonical(s);
                }
                if (s != null && key.equals("working_dir") && !s.startsWith("/")) {
                    throw new IllegalArgumentException("must be an absolute path, not \"" + s + "\"");
                }
                return s;
            case "command", "entrypoint":
                if (n instanceof YNode.Scalar sc) {
                    return sc.isNull() ? null : Syntax.split(sc.value());
                }
                return v.strings(n, path, false);
            case "init":
                return v.bool(n, path);
            case "read_only", "privileged":
                return Boolean.TRUE.equals(v.bool(n, path)) ? Boolean.TRUE : null; // false is the default, omitted as Compose does
            case "cap_add", "cap_drop": {
                List<String> caps = v.strings(n, path, false);
                for (String cap : caps == null ? List.<String>of() : caps) {
                    if (!io.krunbox.runtime.model.Capability.isAll(cap)) {
                        io.krunbox.runtime.model.Capability.parse(cap);
                    }
                }
                return caps;
            }
            case "security_opt": {
                List<String> opts = v.strings(n, path, false);
                List<String> out = new ArrayList<>();
                for (String o : opts == null ? List.<String>of() : opts) {
                    String[] kv = o.split("[=:]", 2);
                    // a profile's path is the project directory's, as the other paths of the file
                    String opt = kv[0].equals("seccomp") && kv.length == 2 && !kv[1].equals("unconfined")
                            ? "seccomp=" + dir.resolve(kv[1]).normalize() : o;
                    try {
                        io.krunbox.runtime.model.SecurityOpt.apply(io.krunbox.runtime.model.BoxSpec.builder("check"), opt,
                                file -> io.krunbox.runtime.security.SeccompProfile.readFile(Path.of(file)));
                    } catch (io.krunbox.runtime.base.BoxException unreadable) {
                        throw new IllegalArgumentException(unreadable.getMessage());
                    }
                    out.add(opt);
                }
                return out;
            }
            case "devices": {
                List<Map<String, Object>> out = new ArrayList<>();
                v.each(n, path, (item, at) -> {
                    String d = item instanceof YNode.Mapping m
                            ? v.string(m.get("source"), at + ".source") + ":" + (m.get("target") == null ? ""
                            : v.string(m.get("target"), at + ".target")) + (m.get("permissions") == null ? ""
                            : ":" + v.string(m.get("permissions"), at + ".permissions"))
                            : v.string(item, at);
                    io.krunbox.runtime.model.DeviceMapping dm = io.krunbox.runtime.model.DeviceMapping.parse(d);
                    Map<String, Object> device = new LinkedHashMap<>();
                    device.put("source", dm.hostPath());
                    device.put("target", dm.boxPath());
                    device.put("permissions", dm.permissions());
                    out.add(device);
                });
                return out;
            }
            case "sysctls": {
                Map<String, String> sysctls = v.dict(n, path, '=');
                Map<String, String> out = new TreeMap<>();
                if (sysctls != null) {
                    sysctls.forEach((k, val) -> {
                        Map.Entry<String, String> e = io.krunbox.runtime.model.SecurityOptions.parseSysctl(k + "="
                                + (val == null ? "" : val));
                        out.put(e.getKey(), e.getValue());
                    });
                }
                return out;
            }
            case "cpus":
                String c = v.string(n, path);
                return c == null ? null : Double.parseDouble(c) > 0 ? Syntax.number(c) : bad("cpus must be above 0");
            case "mem_limit":
                String m = v.string(n, path);
                return m == null ? null : Long.toString(Syntax.bytes(m));
            case "pids_limit":
                return v.integer(n, path);
            case "stop_grace_period":
                String d = v.string(n, path);
                return d == null ? null : Syntax.goDuration(Syntax.duration(d));
            case "environment", "labels":
                Map<String, String> dict = v.dict(n, path, '=');
                if (dict != null && key.equals("labels")) {
                    dict.replaceAll((k, val) -> val == null ? "" : val);
                }
                return dict == null ? null : new TreeMap<>(dict);
            case "extra_hosts":
                Map<String, String> hosts = n instanceof YNode.Mapping ? v.dict(n, path, ':') : null;
                java.util.TreeSet<String> list = new java.util.TreeSet<>();
                if (hosts != null) {
                    hosts.forEach((h, ip) -> list.add(h + "=" + ip));
                } else if (v.strings(n, path, false) != null) {
                    for (String h : v.strings(n, path, false)) {
                        list.add(h.contains("=") ? h : h.replaceFirst(":", "="));
                    }
                }
                return new ArrayList<>(list); // HOST=IP, sorted, as Docker Compose prints them
            case "dns", "profiles", "expose", "tmpfs":
                return v.strings(n, path, true);
            case "env_file":
                return envFiles(n, path);
            case "ports":
                return ports(n, path);
            case "volumes":
                return volumes(n, path);
            case "networks":
                return networks(n, path);
            case "depends_on":
                return DependsOn.normalize(n, path, v, p);
            case "healthcheck":
                return Healthcheck.normalize(n, path, v, p);
            case "build":
                return BuildSection.normalize(n, path, dir, env, v, p, unhonoured);
            case "deploy":
                return Deploy.normalize(n, path, v, p);
            case "ulimits":
                return Ulimits.normalize(n, path, v, p);
            case "secrets", "configs":
                return Secrets.references(n, path, v, p, key);
            case "extends":
                return null;
            default:
                return null;
        }
    }

    private static Object bad(String why) {
        throw new IllegalArgumentException(why);
    }

    private List<Map<String, Object>> envFiles(YNode n, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<YNode> items = n instanceof YNode.Sequence q ? q.items() : List.of(n);
        for (int i = 0; i < items.size(); i++) {
            YNode item = items.get(i);
            String file;
            boolean required = true;
            if (item instanceof YNode.Mapping m) {
                file = v.string(m.get("path"), path + "[" + i + "].path");
                Boolean r = v.bool(m.get("required"), path + "[" + i + "].required");
                required = r == null || r;
            } else {
                file = v.string(item, path + "[" + i + "]");
            }
            if (file == null) {
                continue;
            }
            Path f = io.krunbox.runtime.base.Invocation.current().resolve(Path.of(item.loc().file())).getParent().resolve(file).normalize();
            if (required && !Files.isRegularFile(f)) {
                p.error(item, path + "[" + i + "]", "env file " + f + " not found (mark it required: false if it is optional)");
            }
            out.add(new LinkedHashMap<>(Map.of("path", f.toString(), "required", required)));
        }
        return out;
    }

    /** env_file values first, then environment: over them; a KEY without a value comes from the environment. */
    @SuppressWarnings("unchecked")
    /** Per service, the variables of its env files (what kube generate writes as a ConfigMap). */
    final Map<String, Map<String, String>> envFiles = new TreeMap<>();

    private void environment(YNode.Mapping s, String at, Map<String, Object> out) {
        Map<String, String> merged = new TreeMap<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) out.getOrDefault("env_file", List.of())) {
            Path file = Path.of((String) f.get("path"));
            if (Files.isRegularFile(file)) {
                merged.putAll(DotEnv.read(file));
            }
        }
        if (!merged.isEmpty()) {
            envFiles.put(at.substring("services.".length()), Map.copyOf(merged));
        }
        Map<String, String> own = (Map<String, String>) out.get("environment");
        if (own != null) {
            own.forEach((k, val) -> {
                if (val == null) {
                    merged.put(k, env.get(k)); // null when unset: listed, not passed to the box
                } else {
                    merged.put(k, val);
                }
            });
        }
        if (!merged.isEmpty()) {
            out.put("environment", merged);
        }
        out.remove("env_file"); // its values are in environment:, as Docker Compose's config shows them
    }

    private List<Map<String, Object>> ports(YNode n, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        v.each(n, path, (item, ip) -> {
            if (item instanceof YNode.Mapping m) {
                Map<String, Object> port = new LinkedHashMap<>();
                port.put("mode", "ingress");
                String hostIp = v.string(m.get("host_ip"), ip + ".host_ip");
                if (hostIp != null) {
                    port.put("host_ip", hostIp);
                }
                Long target = v.integer(m.get("target"), ip + ".target");
                if (target == null || target < 1 || target > 65535) {
                    p.error(item, ip, "target must be a port between 1 and 65535");
                    return;
                }
                port.put("target", target.intValue());
                String published = v.string(m.get("published"), ip + ".published");
                if (published != null) {
                    port.put("published", published);
                }
                port.put("protocol", m.get("protocol") == null ? "tcp" : v.string(m.get("protocol"), ip + ".protocol"));
                out.add(port);
            } else {
                out.addAll(Syntax.ports(v.string(item, ip)));
            }
        });
        return out;
    }

    private List<Map<String, Object>> volumes(YNode n, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        v.each(n, path, (item, ip) -> {
            if (item instanceof YNode.Mapping m) {
                Map<String, Object> vol = new LinkedHashMap<>();
                String type = m.get("type") == null ? "volume" : v.string(m.get("type"), ip + ".type");
                if (!Set.of("bind", "volume", "tmpfs").contains(type)) {
                    p.error(m.get("type"), ip + ".type", "\"" + type + "\" is not bind, volume or tmpfs");
                    return;
                }
                vol.put("type", type);
                String source = v.string(m.get("source"), ip + ".source");
                if (source != null) {
                    vol.put("source", type.equals("bind") ? Syntax.hostPath(dir, source) : source);
                }
                String target = v.string(m.get("target"), ip + ".target");
                if (target == null || !target.startsWith("/")) {
                    p.error(item, ip, "target: must be an absolute path in the box");
                    return;
                }
                vol.put("target", Syntax.boxPath(target));
                if (Boolean.TRUE.equals(v.bool(m.get("read_only"), ip + ".read_only"))) {
                    vol.put("read_only", true);
                }
                if (m.get("tmpfs") instanceof YNode.Mapping t && t.get("size") != null) {
                    vol.put("tmpfs", Map.of("size", Long.toString(Syntax.bytes(v.string(t.get("size"), ip + ".tmpfs.size")))));
                }
                out.add(vol);
            } else {
                out.add(Syntax.volume(v.string(item, ip), dir));
            }
        });
        return out;
    }

    private Map<String, Object> networks(YNode n, String path) {
        Map<String, Object> out = new TreeMap<>();
        if (n instanceof YNode.Sequence) {
            List<String> names = v.strings(n, path, false);
            if (names != null) {
                names.forEach(x -> out.put(x, null));
            }
            return out;
        }
        YNode.Mapping m = v.mapping(n, path);
        if (m == null) {
            return out;
        }
        m.entries().forEach((net, cfg) -> {
            YNode.Mapping c = v.mapping(cfg, path + "." + net);
            if (c == null) {
                out.put(net, null);
                return;
            }
            Map<String, Object> one = new TreeMap<>();
            List<String> aliases = v.strings(c.get("aliases"), path + "." + net + ".aliases", false);
            if (aliases != null) {
                one.put("aliases", aliases);
            }
            String ip = v.string(c.get("ipv4_address"), path + "." + net + ".ipv4_address");
            if (ip != null) {
                try {
                    io.krunbox.runtime.network.Ipv4.parse(ip);
                    one.put("ipv4_address", ip);
                } catch (IllegalArgumentException e) {
                    p.error(c.get("ipv4_address"), path + "." + net + ".ipv4_address", e.getMessage());
                }
            }
            out.put(net, one.isEmpty() ? null : one);
        });
        return out;
    }
}
