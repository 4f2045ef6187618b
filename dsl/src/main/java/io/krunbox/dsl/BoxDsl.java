package io.krunbox.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.model.TopologyBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One box (a compose service): {@code box('db') { image 'postgres-demo:1'; env POSTGRES_PASSWORD: 'secret' }}.
 * Each word is a call on the topology's {@link TopologyBuilder.BoxBuilder}; relative paths are
 * the script's directory's, as a compose file's are its own.
 */
public final class BoxDsl extends DslBlock {
    private final TopologyBuilder.BoxBuilder box;
    private final Path dir;
    /** Compose keys with no effect on a box ({@code expose}, {@code init}), kept for the compose form. */
    final Map<String, Object> composeOnly = new LinkedHashMap<>();

    BoxDsl(TopologyBuilder.BoxBuilder box, Path dir) {
        this.box = box;
        this.dir = dir;
    }

    public BoxDsl image(String v) {
        box.image(v);
        return this;
    }

    /** {@code build '.'}: the image from the Dockerfile in that directory (relative to the script). */
    public BoxDsl build(String context) {
        box.build(io.krunbox.runtime.base.Invocation.current().resolve(dir.resolve(context)).normalize().toString());
        return this;
    }

    /**
     * {@code build context: '.', dockerfile: 'Dockerfile.prod', args: [VERSION: '1'], target: 'runtime'}:
     * the compose build: keys (context, dockerfile, args, target, labels, tags, no_cache, pull).
     */
    @SuppressWarnings("unchecked")
    public BoxDsl build(java.util.Map<String, Object> options) {
        Object ctx = options.getOrDefault("context", ".");
        java.util.Map<String, String> args = new java.util.LinkedHashMap<>();
        ((java.util.Map<String, Object>) options.getOrDefault("args", java.util.Map.of())).forEach((k, v) -> args.put(k, String.valueOf(v)));
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        ((java.util.Map<String, Object>) options.getOrDefault("labels", java.util.Map.of())).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        java.util.List<String> tags = new java.util.ArrayList<>();
        ((java.util.List<Object>) options.getOrDefault("tags", java.util.List.of())).forEach(t -> tags.add(String.valueOf(t)));
        for (String k : options.keySet()) {
            if (!java.util.Set.of("context", "dockerfile", "dockerfile_inline", "args", "target", "labels", "tags", "no_cache",
                    "pull").contains(k)) {
                throw new IllegalArgumentException("build has no option " + k + ": use context, dockerfile, dockerfile_inline,"
                        + " args, target, labels, tags, no_cache, pull");
            }
        }
        String inline = options.get("dockerfile_inline") == null ? null : String.valueOf(options.get("dockerfile_inline"));
        box.build(new io.krunbox.runtime.model.BuildConfig(dir.resolve(String.valueOf(ctx)).toAbsolutePath().normalize().toString(),
                inline != null ? null : String.valueOf(options.getOrDefault("dockerfile", "Dockerfile")), inline, args,
                options.get("target") == null ? null : String.valueOf(options.get("target")), labels, tags, null,
                Boolean.TRUE.equals(options.get("no_cache")), Boolean.TRUE.equals(options.get("pull"))));
        return this;
    }

    public BoxDsl command(String... argv) {
        box.command(argv);
        return this;
    }

    public BoxDsl entrypoint(String... argv) {
        box.entrypoint(argv);
        return this;
    }

    /** {@code env A: '1', B: '2'} (repeatable; later values win). */
    public BoxDsl env(Map<String, ?> vars) {
        Strings.of(vars).forEach(box::env);
        return this;
    }

    public BoxDsl env(String key, Object value) {
        box.env(key, Strings.of(value));
        return this;
    }

    /** {@code volume 'pgdata', '/var/lib/data'}, {@code volume './conf', '/etc/app', readOnly: true}. */
    public BoxDsl volume(Map<String, ?> options, String source, String target) {
        String s = source.startsWith(".") ? dir.resolve(source).normalize().toString()
                : source.startsWith("~/") ? Path.of(System.getProperty("user.home"), source.substring(2)).toString() : source;
        if (Boolean.TRUE.equals(options.get("readOnly"))) {
            box.volumeReadOnly(s, target);
        } else {
            box.volume(s, target);
        }
        return this;
    }

    public BoxDsl volume(String source, String target) {
        return volume(Map.of(), source, target);
    }

    public BoxDsl tmpfs(String path) {
        box.tmpfs(path);
        return this;
    }

    /** {@code network 'backend', aliases: ['database'], ip: '10.89.0.10'}. */
    public BoxDsl network(Map<String, ?> options, String name) {
        List<String> aliases = new ArrayList<>();
        if (options.get("aliases") instanceof List<?> l) {
            l.forEach(a -> aliases.add(String.valueOf(a)));
        } else if (options.get("aliases") != null) {
            aliases.add(String.valueOf(options.get("aliases")));
        }
        box.network(name, options.get("ip") == null ? null : String.valueOf(options.get("ip")), aliases);
        return this;
    }

    public BoxDsl network(String name) {
        return network(Map.of(), name);
    }

    /** {@code ports '127.0.0.1:8080:80', '53:53/udp'}. */
    public BoxDsl ports(String... specs) {
        box.ports(specs);
        return this;
    }

    /** {@code resources cpus: 2, memory: '1g', pids: 100}. */
    public BoxDsl resources(Map<String, ?> limits) {
        limits.forEach((k, v) -> {
            switch (k) {
                case "cpus" -> box.cpus(Double.parseDouble(Strings.of(v)));
                case "memory" -> box.memory(Strings.of(v));
                case "pids" -> box.pidsLimit(Integer.parseInt(Strings.of(v)));
                default -> throw new IllegalArgumentException("resources " + k + ": give cpus, memory or pids");
            }
        });
        return this;
    }

    public BoxDsl replicas(int n) {
        box.replicas(n);
        return this;
    }

    public BoxDsl healthcheck(@DelegatesTo(value = HealthDsl.class, strategy = Closure.DELEGATE_ONLY) Closure<?> block) {
        box.healthcheck(h -> Blocks.apply(new HealthDsl(h), block));
        return this;
    }

    public BoxDsl healthcheck(Consumer<HealthDsl> block) {
        box.healthcheck(h -> Blocks.apply(new HealthDsl(h), block));
        return this;
    }

    /** {@code dependsOn 'db', healthy: true} or {@code dependsOn 'migrate', completed: true}. */
    public BoxDsl dependsOn(Map<String, ?> options, String... services) {
        Topology.Condition condition = Boolean.TRUE.equals(options.get("healthy")) ? Topology.Condition.HEALTHY
                : Boolean.TRUE.equals(options.get("completed")) ? Topology.Condition.COMPLETED_SUCCESSFULLY
                : Topology.Condition.STARTED;
        for (String s : services) {
            box.dependsOn(s, condition);
        }
        return this;
    }

    public BoxDsl dependsOn(String... services) {
        return dependsOn(Map.of(), services);
    }

    public BoxDsl restart(String policy) {
        box.restart(policy);
        return this;
    }

    public BoxDsl user(String v) {
        box.user(v);
        return this;
    }

    public BoxDsl workdir(String v) {
        box.workdir(v);
        return this;
    }

    public BoxDsl hostname(String v) {
        box.hostname(v);
        return this;
    }

    public BoxDsl name(String containerName) {
        box.containerName(containerName);
        return this;
    }

    public BoxDsl labels(Map<String, ?> v) {
        Strings.of(v).forEach((k, val) -> box.label(k, val == null ? "" : val));
        return this;
    }

    public BoxDsl readOnly(boolean v) {
        box.readOnly(v);
        return this;
    }

    public BoxDsl dns(String... servers) {
        box.dns(servers);
        return this;
    }

    public BoxDsl extraHost(String host, String ip) {
        box.extraHost(host, ip);
        return this;
    }

    /** {@code networkMode 'none'}: loopback only. */
    public BoxDsl networkMode(String mode) {
        if (!mode.equals("none")) {
            throw new IllegalArgumentException("networkMode '" + mode + "' is not supported: use 'none', or put the box on"
                    + " networks with network 'NAME'");
        }
        box.noNetwork();
        return this;
    }

    /** {@code secret 'db_password'} or {@code secret 'api_key', target: '/etc/key'}. */
    public BoxDsl secret(Map<String, ?> options, String name) {
        box.secret(name, target(options, "secret", name));
        return this;
    }

    public BoxDsl secret(String name) {
        return secret(Map.of(), name);
    }

    /** {@code config 'app_conf'} or {@code config 'app_conf', target: '/etc/app.conf'}. */
    public BoxDsl config(Map<String, ?> options, String name) {
        box.config(name, target(options, "config", name));
        return this;
    }

    public BoxDsl config(String name) {
        return config(Map.of(), name);
    }

    private static String target(Map<String, ?> options, String kind, String name) {
        for (String k : options.keySet()) {
            if (!k.equals("target")) {
                throw new IllegalArgumentException(kind + " " + name + ": option " + k + " is not supported (give target:"
                        + " only; the box reads the file as its own user)");
            }
        }
        return options.get("target") == null ? name : Strings.of(options.get("target"));
    }

    /** {@code expose 80, '443'}: kept in the compose form; every port of a box is open to its networks already. */
    @SuppressWarnings("unchecked")
    public BoxDsl expose(Object... ports) {
        List<Object> list = (List<Object>) composeOnly.computeIfAbsent("expose", k -> new ArrayList<>());
        for (Object p : ports) {
            String s = Strings.of(p);
            if (!s.matches("\\d{1,5}(-\\d{1,5})?(/(tcp|udp))?")) {
                throw new IllegalArgumentException("expose " + s + " is not a port, a range or PORT/PROTOCOL");
            }
            list.add(s);
        }
        return this;
    }

    /** {@code init true}: kept in the compose form; every box's PID 1 is krunbox's guest-init already. */
    public BoxDsl init(boolean v) {
        composeOnly.put("init", v);
        return this;
    }

    public BoxDsl stopSignal(String signal) {
        box.stopSignal(signal);
        return this;
    }

    public BoxDsl stopGracePeriod(Object d) {
        box.stopGracePeriod(Strings.duration(d));
        return this;
    }

    /** {@code ulimits nofile: [soft: 1024, hard: 2048], nproc: 512}. */
    public BoxDsl ulimits(Map<String, ?> limits) {
        limits.forEach((name, v) -> {
            if (v instanceof Map<?, ?> m) {
                box.ulimit(name, Long.parseLong(String.valueOf(m.get("soft"))), Long.parseLong(String.valueOf(m.get("hard"))));
            } else {
                long n = Long.parseLong(String.valueOf(v));
                box.ulimit(name, n, n);
            }
        });
        return this;
    }

    /** {@code privileged true}: every capability and device, no seccomp filter (no boundary with the host's user namespace). */
    public BoxDsl privileged(boolean v) {
        if (v) {
            box.privileged();
        }
        return this;
    }

    /** {@code capAdd 'NET_ADMIN', 'SYS_PTRACE'} (or {@code 'ALL'}). */
    public BoxDsl capAdd(String... caps) {
        box.capAdd(caps);
        return this;
    }

    /** {@code capDrop 'ALL'}. */
    public BoxDsl capDrop(String... caps) {
        box.capDrop(caps);
        return this;
    }

    /** {@code securityOpt 'no-new-privileges', 'seccomp=profile.json'} (a relative profile is the script directory's). */
    public BoxDsl securityOpt(String... options) {
        for (String o : options) {
            box.securityOpt(o.matches("seccomp[=:][^/].*") && !o.substring(8).equals("unconfined")
                    ? "seccomp=" + dir.resolve(o.substring(8)).normalize() : o);
        }
        return this;
    }

    /** {@code device '/dev/fuse'}, {@code device '/dev/sda:/dev/xvda:r'}. */
    public BoxDsl device(String... devices) {
        box.device(devices);
        return this;
    }

    /** {@code sysctls 'net.ipv4.ip_forward': 1} (namespaced keys only). */
    public BoxDsl sysctls(Map<String, ?> values) {
        Strings.of(values).forEach(box::sysctl);
        return this;
    }

    /** {@code log 'max-size=10m', 'max-file=3'}: how big the box's log may grow before it rotates. */
    public BoxDsl log(String... options) {
        box.log(options);
        return this;
    }

    public BoxDsl profiles(String... names) {
        box.profiles(names);
        return this;
    }
}
