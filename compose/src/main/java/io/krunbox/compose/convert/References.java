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

    static void check(YNode.Mapping root, Map<String, Object> model, Problems p) {
        Node m = Node.of("", model);
        Map<String, Node> services = m.entries("services");
        Set<String> networks = m.entries("networks").keySet();
        Set<String> volumes = m.entries("volumes").keySet();
        YNode.Mapping svcNodes = root.get("services") instanceof YNode.Mapping sm ? sm : YNode.Mapping.empty(root.loc());
        Map<String, String> containerNames = new HashMap<>();
        for (Map.Entry<String, Node> e : services.entrySet()) {
            String name = e.getKey();
            Node s = e.getValue();
            YNode.Mapping node = svcNodes.get(name) instanceof YNode.Mapping n ? n : YNode.Mapping.empty(root.loc());
            Loc loc = node.loc();
            String at = "services." + name;
            for (String net : s.entries("networks").keySet()) {
                if (!networks.contains(net)) {
                    p.error(node.keyLoc("networks"), at + ".networks", "network " + net + " is not defined under networks:");
                }
            }
            List<Node> vols = s.elements("volumes");
            for (int i = 0; i < vols.size(); i++) {
                Node v = vols.get(i);
                if ("volume".equals(v.string("type")) && v.string("source") != null && !volumes.contains(v.string("source"))) {
                    p.error(itemLoc(node, "volumes", i), at + ".volumes[" + i + "]", "volume " + v.string("source")
                            + " is not defined under volumes:");
                }
            }
            for (String kind : List.of("secrets", "configs")) {
                Set<String> defs = m.entries(kind).keySet();
                List<Node> refs = s.elements(kind);
                for (int i = 0; i < refs.size(); i++) {
                    String source = refs.get(i).string("source");
                    if (!defs.contains(source)) {
                        p.error(itemLoc(node, kind, i), at + "." + kind + "[" + i + "]", kind.substring(0, kind.length() - 1)
                                + " " + source + " is not defined under " + kind + ":");
                    }
                }
            }
            for (String dep : s.entries("depends_on").keySet()) {
                if (!services.containsKey(dep)) {
                    p.error(node.keyLoc("depends_on"), at + ".depends_on", "service " + dep + " is not defined");
                }
            }
            String cn = s.string("container_name");
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
        Map<String, Set<String>> deps = new java.util.LinkedHashMap<>();
        services.forEach((name, s) -> deps.put(name, s.entries("depends_on").keySet()));
        cycles(deps, svcNodes, p);
    }

    private static Loc itemLoc(YNode.Mapping service, String key, int i) {
        return service.get(key) instanceof YNode.Sequence q && i < q.items().size() ? q.items().get(i).loc()
                : service.keyLoc(key);
    }

    private static void cycles(Map<String, Set<String>> services, YNode.Mapping nodes, Problems p) {
        Set<String> done = new java.util.HashSet<>();
        for (String start : services.keySet()) {
            List<String> path = new ArrayList<>();
            visit(start, services, path, new LinkedHashSet<>(), done, nodes, p);
        }
    }

    private static boolean visit(String s, Map<String, Set<String>> services, List<String> path, Set<String> onPath,
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
        for (String dep : services.getOrDefault(s, Set.of())) {
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
