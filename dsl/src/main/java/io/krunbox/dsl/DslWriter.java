package io.krunbox.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A normalized compose model as DSL text ({@code krunbox convert compose.yaml --to dsl}). */
public final class DslWriter {
    private DslWriter() {}

    @SuppressWarnings("unchecked")
    public static String write(Map<String, Object> model) {
        StringBuilder out = new StringBuilder("topology(" + q((String) model.get("name")) + ") {\n");
        String project = (String) model.get("name");
        ((Map<String, Object>) model.getOrDefault("networks", Map.of())).forEach((key, v) -> {
            Map<String, Object> n = (Map<String, Object>) v;
            if (key.equals("default") && n.size() == 1) {
                return;
            }
            List<String> parts = new ArrayList<>();
            Map<String, Object> ipam = (Map<String, Object>) n.get("ipam");
            if (ipam != null) {
                Map<String, Object> cfg = ((List<Map<String, Object>>) ipam.get("config")).get(0);
                if (cfg.get("subnet") != null) {
                    parts.add("subnet " + q((String) cfg.get("subnet")));
                }
                if (cfg.get("gateway") != null) {
                    parts.add("gateway " + q((String) cfg.get("gateway")));
                }
            }
            if (Boolean.TRUE.equals(n.get("internal"))) {
                parts.add("internal true");
            }
            if (Boolean.TRUE.equals(n.get("external"))) {
                parts.add("external true");
            }
            if (!(project + "_" + key).equals(n.get("name")) && !Boolean.TRUE.equals(n.get("external"))) {
                parts.add("name " + q((String) n.get("name")));
            }
            out.append("    network(").append(q(key)).append(parts.isEmpty() ? ")\n"
                    : ") { " + String.join("; ", parts) + " }\n");
        });
        ((Map<String, Object>) model.getOrDefault("volumes", Map.of())).keySet()
                .forEach(v -> out.append("    volume(").append(q(v)).append(")\n"));
        for (String kind : List.of("secrets", "configs")) {
            ((Map<String, Object>) model.getOrDefault(kind, Map.of())).forEach((n, d) -> {
                Map<String, Object> def = (Map<String, Object>) d;
                String key = def.keySet().iterator().next();
                out.append("    ").append(kind.equals("secrets") ? "secret " : "config ").append(key).append(": ")
                        .append(q(String.valueOf(def.get(key)))).append(", ").append(q(n)).append('\n');
            });
        }
        ((Map<String, Object>) model.get("services")).forEach((name, v) -> box(out, name, (Map<String, Object>) v));
        return out.append("}\n").toString();
    }

    @SuppressWarnings("unchecked")
    private static void box(StringBuilder out, String name, Map<String, Object> s) {
        out.append("    box(").append(q(name)).append(") {\n");
        line(out, "image " + q((String) s.get("image")));
        if (s.get("entrypoint") != null) {
            line(out, "entrypoint " + list((List<String>) s.get("entrypoint")));
        }
        if (s.get("command") != null) {
            line(out, "command " + list((List<String>) s.get("command")));
        }
        Map<String, String> env = (Map<String, String>) s.get("environment");
        if (env != null && !env.isEmpty()) {
            List<String> kv = new ArrayList<>();
            env.forEach((k, val) -> kv.add(q(k) + ": " + q(val)));
            line(out, "env " + String.join(", ", kv));
        }
        for (Map<String, Object> v : (List<Map<String, Object>>) s.getOrDefault("volumes", List.of())) {
            if ("tmpfs".equals(v.get("type"))) {
                line(out, "tmpfs " + q((String) v.get("target")));
            } else {
                line(out, "volume " + (Boolean.TRUE.equals(v.get("read_only")) ? "readOnly: true, " : "")
                        + q(v.get("source") == null ? "" : (String) v.get("source")) + ", " + q((String) v.get("target")));
            }
        }
        for (String t : (List<String>) s.getOrDefault("tmpfs", List.of())) {
            line(out, "tmpfs " + q(t));
        }
        for (Map<String, Object> p : (List<Map<String, Object>>) s.getOrDefault("ports", List.of())) {
            String spec = (p.get("host_ip") == null ? "" : p.get("host_ip") + ":")
                    + (p.get("published") == null ? "" : p.get("published") + ":") + p.get("target") + "/" + p.get("protocol");
            line(out, "ports " + q(spec));
        }
        Map<String, Object> nets = (Map<String, Object>) s.getOrDefault("networks", Map.of());
        if (!(nets.size() == 1 && nets.containsKey("default") && nets.get("default") == null)) {
            nets.forEach((n, cfg) -> {
                Map<String, Object> c = cfg == null ? Map.of() : (Map<String, Object>) cfg;
                String opts = (c.get("aliases") == null ? "" : "aliases: " + listLiteral((List<String>) c.get("aliases")) + ", ")
                        + (c.get("ipv4_address") == null ? "" : "ip: " + q((String) c.get("ipv4_address")) + ", ");
                line(out, "network " + opts + q(n));
            });
        }
        if ("none".equals(s.get("network_mode"))) {
            line(out, "networkMode 'none'");
        }
        Map<String, Object> hc = (Map<String, Object>) s.get("healthcheck");
        if (hc != null) {
            List<String> parts = new ArrayList<>();
            List<String> test = (List<String>) hc.get("test");
            if (test != null && test.get(0).equals("CMD")) {
                parts.add("exec " + list(test.subList(1, test.size())));
            } else if (test != null && test.get(0).equals("CMD-SHELL")) {
                parts.add("shell " + q(String.join(" ", test.subList(1, test.size()))));
            }
            for (String[] k : new String[][] {{"interval", "interval"}, {"timeout", "timeout"}, {"start_period", "startPeriod"}, {"start_interval", "startInterval"}}) {
                if (hc.get(k[0]) != null) {
                    parts.add(k[1] + " " + q((String) hc.get(k[0])));
                }
            }
            if (hc.get("retries") != null) {
                parts.add("retries " + hc.get("retries"));
            }
            if (Boolean.TRUE.equals(hc.get("disable"))) {
                parts.add("disable()");
            }
            line(out, "healthcheck { " + String.join("; ", parts) + " }");
        }
        ((Map<String, Object>) s.getOrDefault("depends_on", Map.of())).forEach((d, cfg) -> {
            String c = (String) ((Map<String, Object>) cfg).get("condition");
            line(out, "dependsOn " + (c.equals("service_healthy") ? "healthy: true, "
                    : c.equals("service_completed_successfully") ? "completed: true, " : "") + q(d));
        });
        Map<String, Object> deploy = (Map<String, Object>) s.get("deploy");
        if (deploy != null) {
            Map<String, Object> limits = (Map<String, Object>) ((Map<String, Object>) deploy.getOrDefault("resources",
                    Map.of())).get("limits");
            if (limits != null && !limits.isEmpty()) {
                List<String> kv = new ArrayList<>();
                limits.forEach((k, val) -> kv.add(k + ": " + (val instanceof Number ? val : q(String.valueOf(val)))));
                line(out, "resources " + String.join(", ", kv));
            }
            if (deploy.get("replicas") != null) {
                line(out, "replicas " + deploy.get("replicas"));
            }
        }
        for (String[] k : new String[][] {{"restart", "restart"}, {"user", "user"}, {"working_dir", "workdir"},
                {"hostname", "hostname"}, {"container_name", "name"}}) {
            if (s.get(k[0]) != null) {
                line(out, k[1] + " " + q((String) s.get(k[0])));
            }
        }
        if (Boolean.TRUE.equals(s.get("read_only"))) {
            line(out, "readOnly true");
        }
        Map<String, String> labels = (Map<String, String>) s.get("labels");
        if (labels != null && !labels.isEmpty()) {
            List<String> kv = new ArrayList<>();
            labels.forEach((k, val) -> kv.add(q(k) + ": " + q(val == null ? "" : val)));
            line(out, "labels " + String.join(", ", kv));
        }
        for (String d : (List<String>) s.getOrDefault("dns", List.of())) {
            line(out, "dns " + q(d));
        }
        for (String h : (List<String>) s.getOrDefault("extra_hosts", List.of())) {
            int c = h.indexOf(':');
            line(out, "extraHost " + q(h.substring(0, c)) + ", " + q(h.substring(c + 1)));
        }
        for (String kind : List.of("secrets", "configs")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) s.getOrDefault(kind, List.of())) {
                List<String> opts = new ArrayList<>();
                r.forEach((k, val) -> {
                    if (!k.equals("source")) {
                        opts.add(k + ": " + q(String.valueOf(val)));
                    }
                });
                line(out, (kind.equals("secrets") ? "secret " : "config ") + String.join(", ", opts)
                        + (opts.isEmpty() ? "" : ", ") + q((String) r.get("source")));
            }
        }
        if (s.get("expose") != null) {
            line(out, "expose " + list((List<String>) s.get("expose")));
        }
        if (s.get("init") != null) {
            line(out, "init " + s.get("init"));
        }
        if (s.get("stop_signal") != null) {
            line(out, "stopSignal " + q((String) s.get("stop_signal")));
        }
        if (s.get("stop_grace_period") != null) {
            line(out, "stopGracePeriod " + q((String) s.get("stop_grace_period")));
        }
        if (s.get("profiles") != null) {
            line(out, "profiles " + list((List<String>) s.get("profiles")));
        }
        if (Boolean.TRUE.equals(s.get("privileged"))) {
            line(out, "privileged true");
        }
        for (String[] k : new String[][] {{"cap_add", "capAdd"}, {"cap_drop", "capDrop"}, {"security_opt", "securityOpt"},
                {"devices", "device"}}) {
            if (s.get(k[0]) != null && !((List<String>) s.get(k[0])).isEmpty()) {
                line(out, k[1] + " " + list((List<String>) s.get(k[0])));
            }
        }
        Map<String, String> sysctls = (Map<String, String>) s.get("sysctls");
        if (sysctls != null && !sysctls.isEmpty()) {
            List<String> kv = new ArrayList<>();
            sysctls.forEach((k, val) -> kv.add(q(k) + ": " + q(val)));
            line(out, "sysctls " + String.join(", ", kv));
        }
        out.append("    }\n");
    }

    private static void line(StringBuilder out, String text) {
        out.append("        ").append(text).append('\n');
    }

    private static String list(List<String> items) {
        return String.join(", ", items.stream().map(DslWriter::q).toList());
    }

    private static String listLiteral(List<String> items) {
        return "[" + list(items) + "]";
    }

    /** A Groovy single-quoted string (no interpolation). */
    static String q(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
    }
}
