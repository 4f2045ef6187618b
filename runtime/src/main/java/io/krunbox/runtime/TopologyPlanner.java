package io.krunbox.runtime;

import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.network.NetworkStore.NetworkRecord;
import io.krunbox.runtime.network.Networks;
import io.krunbox.runtime.plan.PreparedBox;
import io.krunbox.runtime.plan.Step;
import io.krunbox.runtime.plan.Upcoming;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.topology.Conditions;
import io.krunbox.runtime.topology.ProjectBoxes;
import io.krunbox.runtime.topology.ProjectBoxes.ProjectBox;
import io.krunbox.runtime.topology.TopologyPlan;
import io.krunbox.runtime.topology.TopologyPlan.BoxItem;
import io.krunbox.runtime.topology.TopologyPlan.Stage;
import io.krunbox.runtime.volume.Volumes;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Topology -> one {@link TopologyPlan}: every network, volume and secret file, every replica's
 * box plan, the depends_on conditions as wait steps, in dependency order. Nothing is done while
 * planning; the steps carry the actions that {@link TopologyRunner} carries out.
 */
public final class TopologyPlanner {
    private final KrunboxHome home;
    private final BoxRunner runner;
    private final Boxes boxes;
    private final PrintStream progress;

    /** {@code progress}: where the actions say what they did, as Compose does ({@code Network x  Created}). */
    public TopologyPlanner(KrunboxHome home, BoxRunner runner, Boxes boxes, PrintStream progress) {
        this.home = home;
        this.runner = runner;
        this.boxes = boxes;
        this.progress = progress;
    }

    /** What {@code up} is asked to do beyond the topology itself. */
    public record UpOptions(List<String> services, boolean forceRecreate, boolean noRecreate, boolean removeOrphans,
                            boolean waitHealthy, Duration waitTimeout, Map<String, Integer> scale) {
        public UpOptions {
            services = services == null ? List.of() : List.copyOf(services);
            scale = scale == null ? Map.of() : Map.copyOf(scale);
            waitTimeout = waitTimeout == null ? Duration.ofMinutes(5) : waitTimeout;
        }
    }

    /** The images of the wanted services that are not held here (up pulls them before it plans). */
    public List<String> missingImages(Topology t, UpOptions o) {
        Set<String> out = new LinkedHashSet<>();
        for (Topology.Service s : selected(t, o.services())) {
            if (!runner.holds(s.template().image())) {
                out.add(s.template().image());
            }
        }
        return new ArrayList<>(out);
    }

    public TopologyPlan up(Topology t, UpOptions o) {
        Networks nets = boxes.wiring().networks();
        Volumes vols = boxes.wiring().volumes();
        List<Step> setup = new ArrayList<>();
        Set<String> newNetworks = new LinkedHashSet<>();
        Set<String> newVolumes = new LinkedHashSet<>();
        for (Topology.Network n : t.networks()) {
            if (n.external()) {
                setup.add(new Step("network", n.name() + ": external, must exist", () -> nets.get(n.name())));
            } else if (nets.store().find(n.name()).isPresent()) {
                NetworkRecord r = nets.store().find(n.name()).get();
                setup.add(new Step("network", n.name() + ": exists (" + r.subnet() + ", bridge " + r.bridge() + ")", null));
            } else {
                newNetworks.add(n.name());
                List<String> labels = labels(n.labels());
                setup.add(new Step("network", n.name() + ": create, subnet " + (n.subnet() != null ? n.subnet()
                        : "from the pool") + (n.internal() ? ", internal" : "") + ", labels " + String.join(",", labels),
                        () -> {
                            nets.create(n.name(), n.subnet(), n.gateway(), n.internal(), labels);
                            progress.println(" Network " + n.name() + "  Created");
                        }));
            }
        }
        for (Topology.Volume v : t.volumes()) {
            if (v.external()) {
                setup.add(new Step("volume", v.name() + ": external, must exist", () -> vols.get(v.name())));
            } else if (vols.store().find(v.name()).isPresent()) {
                setup.add(new Step("volume", v.name() + ": exists (" + vols.path(v.name()) + ")", null));
            } else {
                newVolumes.add(v.name());
                List<String> labels = labels(v.labels());
                setup.add(new Step("volume", v.name() + ": create " + vols.path(v.name()) + ", labels "
                        + String.join(",", labels), () -> {
                            vols.create(v.name(), labels);
                            progress.println(" Volume " + v.name() + "  Created");
                        }));
            }
        }
        Map<String, Path> secrets = new HashMap<>();
        for (Topology.Secret s : t.secrets()) {
            if (s.file() != null) {
                secrets.put(s.name(), Path.of(s.file()));
                setup.add(new Step("secret", s.name() + ": the file " + s.file() + ", mounted read-only", null));
            } else {
                Path f = projectDir(t.project()).resolve(s.name());
                secrets.put(s.name(), f);
                setup.add(new Step("secret", s.name() + ": written to " + f + " (" + s.content().length() + " bytes)",
                        () -> {
                            Files.createDirectories(f.getParent());
                            Files.writeString(f, s.content());
                        }));
            }
        }
        List<ProjectBox> existing = ProjectBoxes.of(boxes, t.project());
        Set<String> removed = new LinkedHashSet<>();
        if (o.removeOrphans()) {
            for (ProjectBox b : existing) {
                if (t.services().stream().noneMatch(s -> s.name().equals(b.service()))) {
                    removed.add(b.record().name());
                    setup.add(new Step("box", b.record().name() + ": remove (orphan: the files define no service "
                            + b.service() + ")", () -> {
                                boxes.remove(boxes.get(b.record().id()), true);
                                progress.println(" Box " + b.record().name() + "  Removed (orphan)");
                            }));
                }
            }
        }
        List<Topology.Service> wanted = selected(t, o.services());
        Map<String, List<PortMapping>> ports = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        for (String name : dependencyOrder(t, wanted)) {
            Topology.Service s = t.service(name);
            List<String> after = new ArrayList<>();
            List<Step> waits = new ArrayList<>();
            for (Map.Entry<String, Topology.Dependency> d : new java.util.TreeMap<>(s.dependsOn()).entrySet()) {
                Topology.Service dep = wanted.stream().filter(w -> w.name().equals(d.getKey())).findFirst().orElse(null);
                if (dep == null) {
                    continue;
                }
                after.add(dep.name());
                List<String> depBoxes = replicaNames(t, dep, o);
                Topology.Condition c = d.getValue().condition();
                waits.add(new Step("wait", String.join(" ", depBoxes) + ": " + words(c) + " (" + s.name()
                        + " depends on " + dep.name() + ")", () -> {
                            long deadline = System.nanoTime() + o.waitTimeout().toNanos();
                            for (String b : depBoxes) {
                                awaitAndSay(b, c, deadline);
                            }
                        }));
            }
            List<BoxItem> items = new ArrayList<>();
            int replicas = replicas(s, o);
            for (int n = 1; n <= replicas; n++) {
                items.add(box(t, s, n, existing, secrets, o, newNetworks, newVolumes, ports, removed));
            }
            for (ProjectBox b : existing) {
                String number = b.spec().labels().get(Topology.NUMBER_LABEL);
                if (s.name().equals(b.service()) && number != null && Integer.parseInt(number) > replicas) {
                    items.add(new BoxItem(new Step("box", b.record().name() + ": remove (scaled to " + replicas + ")",
                            () -> {
                                boxes.remove(boxes.get(b.record().id()), true);
                                progress.println(" Box " + b.record().name() + "  Removed");
                            }), null));
                }
            }
            stages.add(new Stage(s.name(), after, waits, items));
        }
        List<Step> closing = new ArrayList<>();
        if (o.waitHealthy()) {
            for (Topology.Service s : wanted) {
                Topology.Condition c = s.template().health() != null ? Topology.Condition.HEALTHY : Topology.Condition.STARTED;
                for (String b : replicaNames(t, s, o)) {
                    closing.add(new Step("wait", b + ": " + words(c) + " (--wait)", () ->
                            awaitAndSay(b, c, System.nanoTime() + o.waitTimeout().toNanos())));
                }
            }
        }
        return new TopologyPlan("project " + t.project() + " (up)", setup, stages, closing);
    }

    /** One replica: left alone, started, recreated or created, with its own plan when it is made. */
    private BoxItem box(Topology t, Topology.Service s, int n, List<ProjectBox> existing, Map<String, Path> secrets,
                        UpOptions o, Set<String> newNetworks, Set<String> newVolumes, Map<String, List<PortMapping>> ports,
                        Set<String> removed) {
        String name = s.boxName(t.project(), n);
        BoxSpec spec = replicaSpec(t, s, n, secrets);
        ProjectBox have = existing.stream().filter(b -> b.record().name().equals(name)).findFirst().orElse(null);
        if (have != null) {
            boolean same = spec.labels().get(Topology.HASH_LABEL).equals(have.hash());
            if ((same && !o.forceRecreate()) || o.noRecreate()) {
                BoxRecord now = have.record();
                if (now.status().active()) {
                    ports.put(name, have.spec().ports());
                    return new BoxItem(new Step("box", name + ": running, config unchanged (left as it is)",
                            () -> progress.println(" Box " + name + "  Running")), null);
                }
                ports.put(name, have.spec().ports());
                return new BoxItem(new Step("box", name + ": start (" + now.status() + ", config unchanged)", () -> {
                    runner.start(now.id());
                    progress.println(" Box " + name + "  Started");
                }), null);
            }
            removed.add(name);
            PreparedBox made = plannable(spec)
                    ? runner.prepare(spec, new Upcoming(newNetworks, newVolumes, ports, removed)) : null;
            if (made != null) {
                ports.put(name, made.session().spec.ports());
            }
            return new BoxItem(new Step("box", name + ": recreate (" + (same ? "--force-recreate" : "config changed")
                    + ")" + (made == null ? ", planned once " + spec.image() + " is pulled" : ""), () -> {
                        boxes.remove(boxes.get(have.record().id()), true);
                        progress.println(" Box " + name + "  Recreate");
                    }), made);
        }
        PreparedBox made = plannable(spec)
                ? runner.prepare(spec, new Upcoming(newNetworks, newVolumes, ports, removed)) : null;
        if (made != null) {
            ports.put(name, made.session().spec.ports());
        }
        return new BoxItem(new Step("box", name + ": create" + (made == null ? ", planned once " + spec.image()
                + " is pulled" : ""), null), made);
    }

    private boolean plannable(BoxSpec spec) {
        return runner.holds(spec.image());
    }

    /** {@code down}: the project's boxes stopped and removed (dependents first), then its networks, volumes with -v. */
    public TopologyPlan down(String project, Topology t, boolean removeVolumes, Duration grace) {
        List<ProjectBox> all = ProjectBoxes.of(boxes, project);
        LinkedHashSet<String> services = new LinkedHashSet<>();
        List<String> order = t == null ? List.of() : dependencyOrder(t, t.services());
        for (int i = order.size() - 1; i >= 0; i--) {
            services.add(order.get(i));
        }
        all.forEach(b -> services.add(b.service()));
        List<Stage> stages = new ArrayList<>();
        for (String service : services) {
            List<BoxItem> items = new ArrayList<>();
            for (ProjectBox b : all) {
                if (java.util.Objects.equals(service, b.service())) {
                    items.add(new BoxItem(new Step("box", b.record().name() + ": stop and remove", () -> {
                        BoxRecord r = boxes.get(b.record().id());
                        boxes.stop(r, grace);
                        boxes.remove(boxes.get(r.id()), true, true);
                        progress.println(" Box " + r.name() + "  Removed");
                    }), null));
                }
            }
            if (items.isEmpty()) {
                continue;
            }
            List<String> after = new ArrayList<>();
            if (t != null) {
                for (Topology.Service s : t.services()) {
                    if (s.dependsOn().containsKey(service) && !s.name().equals(service)
                            && all.stream().anyMatch(b -> s.name().equals(b.service()))) {
                        after.add(s.name());
                    }
                }
            }
            stages.add(new Stage(service, after, List.of(), items));
        }
        List<Step> closing = new ArrayList<>();
        Networks nets = boxes.wiring().networks();
        for (var n : nets.store().all()) {
            if (n.labels().contains(Topology.PROJECT_LABEL + "=" + project)) {
                closing.add(new Step("network", n.name() + ": remove (bridge " + n.bridge() + ")", () -> {
                    nets.remove(n.name(), false);
                    progress.println(" Network " + n.name() + "  Removed");
                }));
            }
        }
        if (removeVolumes) {
            Volumes vols = boxes.wiring().volumes();
            for (var v : vols.store().all()) {
                if (v.labels().contains(Topology.PROJECT_LABEL + "=" + project)) {
                    closing.add(new Step("volume", v.name() + ": remove " + vols.path(v.name()), () -> {
                        vols.remove(v.name(), false);
                        progress.println(" Volume " + v.name() + "  Removed");
                    }));
                }
            }
        }
        Path dir = projectDir(project);
        if (Files.exists(dir)) {
            closing.add(new Step("secret", dir + ": remove (the project's secret and config files)",
                    () -> io.krunbox.oci.layer.LayerUnpacker.deleteTree(dir)));
        }
        return new TopologyPlan("project " + project + " (down)", List.of(), stages, closing);
    }

    private Path projectDir(String project) {
        return home.root().resolve("projects").resolve(project);
    }

    private void awaitAndSay(String box, Topology.Condition condition, long deadline) {
        Conditions.await(boxes, box, condition, deadline);
        switch (condition) {
            case HEALTHY -> progress.println(" Box " + box + "  Healthy");
            case COMPLETED_SUCCESSFULLY -> progress.println(" Box " + box + "  Exited");
            default -> { }
        }
    }

    private static String words(Topology.Condition c) {
        return c.toString().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static List<String> labels(Map<String, String> labels) {
        List<String> out = new ArrayList<>();
        labels.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private List<String> replicaNames(Topology t, Topology.Service s, UpOptions o) {
        List<String> out = new ArrayList<>();
        for (int n = 1; n <= replicas(s, o); n++) {
            out.add(s.boxName(t.project(), n));
        }
        return out;
    }

    private static int replicas(Topology.Service s, UpOptions o) {
        return o.scale().getOrDefault(s.name(), s.replicas());
    }

    /** Replica {@code n} of a service: its name, its number label, the service's secrets mounted. */
    static BoxSpec replicaSpec(Topology t, Topology.Service s, int n, Map<String, Path> secrets) {
        BoxSpec tpl = s.template();
        List<MountSpec> mounts = new ArrayList<>(tpl.mounts());
        for (Topology.SecretMount m : s.secrets()) {
            mounts.add(new MountSpec(MountSpec.Type.BIND, secrets.get(m.secret()).toString(), m.target(), true, ""));
        }
        Map<String, String> labels = new HashMap<>(tpl.labels());
        labels.put(Topology.NUMBER_LABEL, Integer.toString(n));
        return tpl.toBuilder().name(s.boxName(t.project(), n)).remove(false).mounts(mounts).labelMap(labels).build();
    }

    /** The services asked for and everything they depend on. */
    static List<Topology.Service> selected(Topology t, List<String> names) {
        if (names.isEmpty()) {
            return t.services();
        }
        LinkedHashSet<String> want = new LinkedHashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(names);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (want.add(n)) {
                todo.addAll(t.service(n).dependsOn().keySet());
            }
        }
        return t.services().stream().filter(s -> want.contains(s.name())).toList();
    }

    /** The services of {@code among}, each after those it depends on. */
    static List<String> dependencyOrder(Topology t, List<Topology.Service> among) {
        List<String> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        among.forEach(s -> names.add(s.name()));
        while (out.size() < names.size()) {
            int before = out.size();
            for (Topology.Service s : among) {
                if (!out.contains(s.name()) && out.containsAll(s.dependsOn().keySet().stream()
                        .filter(names::contains).toList())) {
                    out.add(s.name());
                }
            }
            if (out.size() == before) {
                throw new IllegalStateException("depends_on forms a cycle among " + names);
            }
        }
        return out;
    }
}
