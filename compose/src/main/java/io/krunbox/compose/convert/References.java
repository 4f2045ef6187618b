package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.Loc;
import io.krunbox.compose.yaml.YNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What names must refer to something: networks, volumes, secrets, configs, depends_on; no depends_on cycle; unique container names. */
final class References {
    private References() {}

    @SuppressWarnings("unchecked")
    static void check(YNode.Mapping root, Map<String, Object> model, Problems p) {
        Map<String, Object> services = (Map<String, Object>) model.get("services");
        Map<String, Object> networks = (Map<String, Object>) model.get("networks");
        Map<String, Object> volumes = (Map<String, Object>) model.get("volumes");
        YNode.Mapping svcNodes = root.get("services") instanceof YNode.Mapping m ? m : YNode.Mapping.empty(root.loc());
        Map<String, String> containerNames = new HashMap<>();
        for (Map.Entry<String, Object> e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> s = (Map<String, Object>) e.getValue();
            YNode.Mapping node = svcNodes.get(name) instanceof YNode.Mapping n ? n : YNode.Mapping.empty(root.loc());
            Loc loc = node.loc();
            String at = "services." + name;
            for (String net : ((Map<String, Object>) s.getOrDefault("networks", Map.of())).keySet()) {
                if (!networks.containsKey(net)) {
                    p.error(node.keyLoc("networks"), at + ".networks", "network " + net + " is not defined under networks:");
                }
            }
            List<Map<String, Object>> vols = (List<Map<String, Object>>) s.getOrDefault("volumes", List.of());
            for (int i = 0; i < vols.size(); i++) {
                Map<String, Object> v = vols.get(i);
                if ("volume".equals(v.get("type")) && v.get("source") != null && !volumes.containsKey((String) v.get("source"))) {
                    p.error(itemLoc(node, "volumes", i), at + ".volumes[" + i + "]", "volume " + v.get("source")
                            + " is not defined under volumes:");
                }
            }
            for (String kind : List.of("secrets", "configs")) {
                Map<String, Object> defs = (Map<String, Object>) model.getOrDefault(kind, Map.of());
                List<Map<String, Object>> refs = (List<Map<String, Object>>) s.getOrDefault(kind, List.of());
                for (int i = 0; i < refs.size(); i++) {
                    if (!defs.containsKey((String) refs.get(i).get("source"))) {
                        p.error(itemLoc(node, kind, i), at + "." + kind + "[" + i + "]", kind.substring(0, kind.length() - 1)
                                + " " + refs.get(i).get("source") + " is not defined under " + kind + ":");
                    }
                }
            }
            for (String dep : ((Map<String, Object>) s.getOrDefault("depends_on", Map.of())).keySet()) {
                if (!services.containsKey(dep)) {
                    p.error(node.keyLoc("depends_on"), at + ".depends_on", "service " + dep + " is not defined");
                }
            }
            String cn = (String) s.get("container_name");
            if (cn != null) {
                String other = containerNames.putIfAbsent(cn, name);
                if (other != null) {
                    p.error(node.keyLoc("container_name"), at + ".container_name", "container name " + cn
                            + " is also used by service " + other);
                }
            }
            if (loc == null) {
                p.error(root.loc(), at, "missing");
            }
        }
        cycles(services, svcNodes, p);
    }

    private static Loc itemLoc(YNode.Mapping service, String key, int i) {
        return service.get(key) instanceof YNode.Sequence q && i < q.items().size() ? q.items().get(i).loc()
                : service.keyLoc(key);
    }

    @SuppressWarnings("unchecked")
    private static void cycles(Map<String, Object> services, YNode.Mapping nodes, Problems p) {
        Set<String> done = new java.util.HashSet<>();
        for (String start : services.keySet()) {
            List<String> path = new ArrayList<>();
            visit(start, services, path, new LinkedHashSet<>(), done, nodes, p);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean visit(String s, Map<String, Object> services, List<String> path, Set<String> onPath,
                                 Set<String> done, YNode.Mapping nodes, Problems p) {
        if (done.contains(s)) {
            return false;
        }
        if (!onPath.add(s)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(s), path.size()));
            cycle.add(s);
            Loc loc = nodes.get(s) instanceof YNode.Mapping m ? m.keyLoc("depends_on") : nodes.loc();
            p.error(loc, "services." + s + ".depends_on", "dependency cycle: " + String.join(" -> ", cycle));
            return true;
        }
        path.add(s);
        Map<String, Object> svc = (Map<String, Object>) services.get(s);
        for (String dep : ((Map<String, Object>) (svc == null ? Map.of() : svc.getOrDefault("depends_on", Map.of()))).keySet()) {
            if (services.containsKey(dep) && visit(dep, services, path, onPath, done, nodes, p)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        onPath.remove(s);
        done.add(s);
        return false;
    }
}
