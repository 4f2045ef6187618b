package io.krunbox.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** One box (a compose service): {@code box('db') { image 'postgres-demo:1'; env POSTGRES_PASSWORD: 'secret' }}. */
public final class BoxDsl extends DslBlock {
    final Map<String, Object> doc = new LinkedHashMap<>();

    public BoxDsl image(String v) {
        doc.put("image", v);
        return this;
    }

    public BoxDsl command(String... argv) {
        doc.put("command", List.of(argv));
        return this;
    }

    public BoxDsl entrypoint(String... argv) {
        doc.put("entrypoint", List.of(argv));
        return this;
    }

    /** {@code env A: '1', B: '2'} (repeatable; later values win). */
    public BoxDsl env(Map<String, ?> vars) {
        map("environment").putAll(Strings.of(vars));
        return this;
    }

    public BoxDsl env(String key, Object value) {
        map("environment").put(key, Strings.of(value));
        return this;
    }

    /** {@code volume 'pgdata', '/var/lib/data'}, {@code volume './conf', '/etc/app', readOnly: true}. */
    public BoxDsl volume(Map<String, ?> options, String source, String target) {
        list("volumes").add(source + ":" + target + (Boolean.TRUE.equals(options.get("readOnly")) ? ":ro" : ""));
        return this;
    }

    public BoxDsl volume(String source, String target) {
        return volume(Map.of(), source, target);
    }

    public BoxDsl tmpfs(String path) {
        list("tmpfs").add(path);
        return this;
    }

    /** {@code network 'backend', aliases: ['database'], ip: '10.89.0.10'}. */
    public BoxDsl network(Map<String, ?> options, String name) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        if (options.get("aliases") != null) {
            cfg.put("aliases", options.get("aliases"));
        }
        if (options.get("ip") != null) {
            cfg.put("ipv4_address", options.get("ip"));
        }
        map("networks").put(name, cfg.isEmpty() ? null : cfg);
        return this;
    }

    public BoxDsl network(String name) {
        return network(Map.of(), name);
    }

    /** {@code ports '127.0.0.1:8080:80', '53:53/udp'}. */
    public BoxDsl ports(String... specs) {
        list("ports").addAll(List.of(specs));
        return this;
    }

    /** {@code resources cpus: 2, memory: '1g', pids: 100}. */
    public BoxDsl resources(Map<String, ?> limits) {
        Map<String, Object> l = new LinkedHashMap<>();
        limits.forEach((k, v) -> l.put(k, k.equals("pids") ? v : Strings.of(v)));
        map("deploy").put("resources", Map.of("limits", l));
        return this;
    }

    public BoxDsl replicas(int n) {
        map("deploy").put("replicas", n);
        return this;
    }

    public BoxDsl healthcheck(@DelegatesTo(value = HealthDsl.class, strategy = Closure.DELEGATE_ONLY) Closure<?> block) {
        doc.put("healthcheck", Blocks.apply(new HealthDsl(), block).doc);
        return this;
    }

    public BoxDsl healthcheck(Consumer<HealthDsl> block) {
        doc.put("healthcheck", Blocks.apply(new HealthDsl(), block).doc);
        return this;
    }

    /** {@code dependsOn 'db', healthy: true} or {@code dependsOn 'migrate', completed: true}. */
    public BoxDsl dependsOn(Map<String, ?> options, String... services) {
        String condition = Boolean.TRUE.equals(options.get("healthy")) ? "service_healthy"
                : Boolean.TRUE.equals(options.get("completed")) ? "service_completed_successfully" : "service_started";
        for (String s : services) {
            map("depends_on").put(s, Map.of("condition", condition));
        }
        return this;
    }

    public BoxDsl dependsOn(String... services) {
        return dependsOn(Map.of(), services);
    }

    public BoxDsl restart(String policy) {
        doc.put("restart", policy);
        return this;
    }

    public BoxDsl user(String v) {
        doc.put("user", v);
        return this;
    }

    public BoxDsl workdir(String v) {
        doc.put("working_dir", v);
        return this;
    }

    public BoxDsl hostname(String v) {
        doc.put("hostname", v);
        return this;
    }

    public BoxDsl name(String containerName) {
        doc.put("container_name", containerName);
        return this;
    }

    public BoxDsl labels(Map<String, ?> v) {
        map("labels").putAll(Strings.of(v));
        return this;
    }

    public BoxDsl readOnly(boolean v) {
        doc.put("read_only", v);
        return this;
    }

    public BoxDsl dns(String... servers) {
        list("dns").addAll(List.of(servers));
        return this;
    }

    public BoxDsl extraHost(String host, String ip) {
        list("extra_hosts").add(host + ":" + ip);
        return this;
    }

    public BoxDsl networkMode(String mode) {
        doc.put("network_mode", mode);
        return this;
    }

    /** {@code secret 'db_password'} or {@code secret 'api_key', target: '/etc/key'}. */
    public BoxDsl secret(Map<String, ?> options, String name) {
        list("secrets").add(reference(options, name));
        return this;
    }

    public BoxDsl secret(String name) {
        return secret(Map.of(), name);
    }

    /** {@code config 'app_conf'} or {@code config 'app_conf', target: '/etc/app.conf'}. */
    public BoxDsl config(Map<String, ?> options, String name) {
        list("configs").add(reference(options, name));
        return this;
    }

    public BoxDsl config(String name) {
        return config(Map.of(), name);
    }

    private static Object reference(Map<String, ?> options, String name) {
        if (options.isEmpty()) {
            return name;
        }
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("source", name);
        options.forEach((k, v) -> ref.put(k, Strings.of(v)));
        return ref;
    }

    public BoxDsl expose(Object... ports) {
        for (Object p : ports) {
            list("expose").add(Strings.of(p));
        }
        return this;
    }

    public BoxDsl init(boolean v) {
        doc.put("init", v);
        return this;
    }

    public BoxDsl stopSignal(String signal) {
        doc.put("stop_signal", signal);
        return this;
    }

    public BoxDsl stopGracePeriod(Object d) {
        doc.put("stop_grace_period", Strings.of(d));
        return this;
    }

    /** {@code ulimits nofile: [soft: 1024, hard: 2048], nproc: 512}. */
    public BoxDsl ulimits(Map<String, ?> limits) {
        map("ulimits").putAll(limits);
        return this;
    }

    /** {@code privileged true}: every capability and device, no seccomp filter (no boundary with the host's user namespace). */
    public BoxDsl privileged(boolean v) {
        doc.put("privileged", v);
        return this;
    }

    /** {@code capAdd 'NET_ADMIN', 'SYS_PTRACE'} (or {@code 'ALL'}). */
    public BoxDsl capAdd(String... caps) {
        list("cap_add").addAll(List.of(caps));
        return this;
    }

    /** {@code capDrop 'ALL'}. */
    public BoxDsl capDrop(String... caps) {
        list("cap_drop").addAll(List.of(caps));
        return this;
    }

    /** {@code securityOpt 'no-new-privileges', 'seccomp=profile.json'}. */
    public BoxDsl securityOpt(String... options) {
        list("security_opt").addAll(List.of(options));
        return this;
    }

    /** {@code device '/dev/fuse'}, {@code device '/dev/sda:/dev/xvda:r'}. */
    public BoxDsl device(String... devices) {
        list("devices").addAll(List.of(devices));
        return this;
    }

    /** {@code sysctls 'net.ipv4.ip_forward': 1} (namespaced keys only). */
    public BoxDsl sysctls(Map<String, ?> values) {
        map("sysctls").putAll(Strings.of(values));
        return this;
    }

    public BoxDsl profiles(String... names) {
        list("profiles").addAll(List.of(names));
        return this;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String key) {
        return (Map<String, Object>) doc.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(String key) {
        return (List<Object>) doc.computeIfAbsent(key, k -> new ArrayList<>());
    }
}
