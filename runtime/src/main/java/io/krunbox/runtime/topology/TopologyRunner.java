package io.krunbox.runtime.topology;

import io.krunbox.runtime.BoxException;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.KrunboxHome;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.network.Networks;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.topology.ProjectBoxes.ProjectBox;
import io.krunbox.runtime.volume.Volumes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code up} and {@code down} of a Topology. Networks and volumes come first (labelled with
 * the project), then every service starts as soon as what it depends on holds (started,
 * healthy, or completed successfully), independent ones in parallel. A box whose config
 * hash is unchanged is left alone (started if it had stopped); a changed one is recreated.
 */
public final class TopologyRunner {
    private final KrunboxHome home;
    private final BoxRunner runner;
    private final Boxes boxes;
    private final PrintStream progress;
    /** Boxes are made and stopped on threads of their own: the work is mostly waiting on other processes. */
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread th = new Thread(r, "krunbox-topology");
        th.setDaemon(true);
        return th;
    });

    public TopologyRunner(KrunboxHome home, BoxRunner runner, Boxes boxes, PrintStream progress) {
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

    public void up(Topology t, UpOptions o) throws Exception {
        Networks nets = boxes.wiring().networks();
        Volumes vols = boxes.wiring().volumes();
        for (Topology.Network n : t.networks()) {
            if (n.external()) {
                nets.get(n.name());
            } else if (nets.store().find(n.name()).isEmpty()) {
                List<String> labels = new ArrayList<>();
                n.labels().forEach((k, v) -> labels.add(k + "=" + v));
                nets.create(n.name(), n.subnet(), n.gateway(), n.internal(), labels);
                progress.println(" Network " + n.name() + "  Created");
            }
        }
        for (Topology.Volume v : t.volumes()) {
            if (v.external()) {
                vols.get(v.name());
            } else if (vols.store().find(v.name()).isEmpty()) {
                List<String> labels = new ArrayList<>();
                v.labels().forEach((k, val) -> labels.add(k + "=" + val));
                vols.create(v.name(), labels);
                progress.println(" Volume " + v.name() + "  Created");
            }
        }
        Map<String, Path> secrets = secrets(t);
        List<ProjectBox> existing = ProjectBoxes.of(boxes, t.project());
        if (o.removeOrphans()) {
            for (ProjectBox b : existing) {
                if (t.services().stream().noneMatch(s -> s.name().equals(b.service()))) {
                    boxes.remove(b.record(), true);
                    progress.println(" Box " + b.record().name() + "  Removed (orphan)");
                }
            }
        }
        List<Topology.Service> wanted = selected(t, o.services());
        Map<String, CompletableFuture<Void>> started = new ConcurrentHashMap<>();
        for (Topology.Service s : wanted) {
            start(t, s, wanted, existing, secrets, o, started);
        }
        CompletableFuture.allOf(started.values().toArray(CompletableFuture[]::new)).join();
        if (o.waitHealthy()) {
            long deadline = System.nanoTime() + o.waitTimeout().toNanos();
            for (Topology.Service s : wanted) {
                for (int n = 1; n <= replicas(s, o); n++) {
                    awaitAndSay(s.boxName(t.project(), n), s.template().health() != null
                            ? Topology.Condition.HEALTHY : Topology.Condition.STARTED, deadline);
                }
            }
        }
    }

    private CompletableFuture<Void> stopService(String service, Topology t, List<ProjectBox> all, Duration grace,
                                                Map<String, CompletableFuture<Void>> stopped) {
        CompletableFuture<Void> mine = stopped.get(service);
        if (mine != null) {
            return mine;
        }
        List<CompletableFuture<Void>> dependents = new ArrayList<>();
        if (t != null) {
            for (Topology.Service s : t.services()) {
                if (s.dependsOn().containsKey(service) && !s.name().equals(service)) {
                    dependents.add(stopService(s.name(), t, all, grace, stopped));
                }
            }
        }
        mine = CompletableFuture.allOf(dependents.toArray(CompletableFuture[]::new)).thenComposeAsync(v ->
                CompletableFuture.allOf(all.stream().filter(b -> java.util.Objects.equals(service, b.service()))
                        .map(b -> CompletableFuture.runAsync(() -> stopAndRemove(b, grace), POOL))
                        .toArray(CompletableFuture[]::new)), POOL);
        stopped.put(service, mine);
        return mine;
    }

    private void stopAndRemove(ProjectBox b, Duration grace) {
        try {
            BoxRecord r = boxes.get(b.record().id());
            boxes.stop(r, grace);
            boxes.remove(boxes.get(r.id()), true, true);
            progress.println(" Box " + r.name() + "  Removed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
        }
    }

    /** Waits for a box to meet a condition and says so as Compose does ({@code Healthy}, {@code Exited}). */
    private void awaitAndSay(String box, Topology.Condition condition, long deadline) {
        Conditions.await(boxes, box, condition, deadline);
        switch (condition) {
            case HEALTHY -> progress.println(" Box " + box + "  Healthy");
            case COMPLETED_SUCCESSFULLY -> progress.println(" Box " + box + "  Exited");
            default -> { }
        }
    }

    /** The services asked for and everything they depend on. */
    static List<Topology.Service> selected(Topology t, List<String> names) {
        if (names.isEmpty()) {
            return t.services();
        }
        java.util.LinkedHashSet<String> want = new java.util.LinkedHashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(names);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (want.add(n)) {
                todo.addAll(t.service(n).dependsOn().keySet());
            }
        }
        return t.services().stream().filter(s -> want.contains(s.name())).toList();
    }

    private int replicas(Topology.Service s, UpOptions o) {
        return o.scale().getOrDefault(s.name(), s.replicas());
    }

    private CompletableFuture<Void> start(Topology t, Topology.Service s, List<Topology.Service> wanted,
                                         List<ProjectBox> existing, Map<String, Path> secrets, UpOptions o,
                                         Map<String, CompletableFuture<Void>> started) {
        CompletableFuture<Void> mine = started.get(s.name());
        if (mine != null) {
            return mine;
        }
        List<CompletableFuture<Void>> before = new ArrayList<>();
        for (Map.Entry<String, Topology.Dependency> d : s.dependsOn().entrySet()) {
            Topology.Service dep = wanted.stream().filter(w -> w.name().equals(d.getKey())).findFirst().orElse(null);
            if (dep == null) {
                continue;
            }
            CompletableFuture<Void> depStarted = start(t, dep, wanted, existing, secrets, o, started);
            before.add(depStarted.thenRun(() -> {
                for (int n = 1; n <= replicas(dep, o); n++) {
                    awaitAndSay(dep.boxName(t.project(), n), d.getValue().condition(),
                            System.nanoTime() + o.waitTimeout().toNanos());
                }
            }));
        }
        mine = CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).thenComposeAsync(v -> {
            List<CompletableFuture<Void>> replicas = new ArrayList<>();
            for (int n = 1; n <= replicas(s, o); n++) {
                int number = n;
                replicas.add(CompletableFuture.runAsync(() -> ensure(t, s, number, existing, secrets, o), POOL));
            }
            return CompletableFuture.allOf(replicas.toArray(CompletableFuture[]::new));
        }, POOL);
        started.put(s.name(), mine);
        return mine;
    }

    /** Makes replica {@code n} run as the topology says: left alone, started, or recreated. */
    private void ensure(Topology t, Topology.Service s, int n, List<ProjectBox> existing, Map<String, Path> secrets,
                        UpOptions o) {
        String name = s.boxName(t.project(), n);
        BoxSpec spec = spec(t, s, n, secrets);
        try {
            ProjectBox have = existing.stream().filter(b -> b.record().name().equals(name)).findFirst().orElse(null);
            if (have != null) {
                boolean same = spec.labels().get(Topology.HASH_LABEL).equals(have.hash());
                if ((same && !o.forceRecreate()) || o.noRecreate()) {
                    BoxRecord now = boxes.get(have.record().id());
                    if (!Boxes.active(now)) {
                        runner.start(now.id());
                        progress.println(" Box " + name + "  Started");
                    } else {
                        progress.println(" Box " + name + "  Running");
                    }
                    return;
                }
                boxes.remove(boxes.get(have.record().id()), true);
                progress.println(" Box " + name + "  Recreate");
            }
            runner.runDetached(spec);
            progress.println(" Box " + name + "  Started");
        } catch (IOException e) {
            throw new BoxException("box " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoxException("interrupted while starting " + name, e);
        }
    }

    private static BoxSpec spec(Topology t, Topology.Service s, int n, Map<String, Path> secrets) {
        BoxSpec tpl = s.template();
        List<MountSpec> mounts = new ArrayList<>(tpl.mounts());
        for (Topology.SecretMount m : s.secrets()) {
            mounts.add(new MountSpec(MountSpec.Type.BIND, secrets.get(m.secret()).toString(), m.target(), true, ""));
        }
        Map<String, String> labels = new HashMap<>(tpl.labels());
        labels.put(Topology.NUMBER_LABEL, Integer.toString(n));
        String name = s.boxName(t.project(), n);
        return new BoxSpec(name, tpl.image(), tpl.command(), tpl.entrypoint(), tpl.env(), tpl.workdir(), tpl.user(),
                tpl.hostname(), tpl.isolation(), tpl.cpus(), tpl.memoryMib(), false, tpl.kernel(), tpl.bootTimeout(),
                tpl.health(), tpl.restart(), tpl.pidsLimit(), tpl.networks(), tpl.ports(), tpl.publishAll(), tpl.dns(),
                tpl.extraHosts(), mounts, tpl.readOnly(), labels, tpl.stop(), tpl.ulimits(), tpl.security());
    }

    /** Secrets and configs as files: a file source is used as it is; content is written under the project's directory. */
    private Map<String, Path> secrets(Topology t) throws IOException {
        Map<String, Path> out = new HashMap<>();
        for (Topology.Secret s : t.secrets()) {
            if (s.file() != null) {
                out.put(s.name(), Path.of(s.file()));
            } else {
                Path f = home.root().resolve("projects").resolve(t.project()).resolve(s.name());
                Files.createDirectories(f.getParent());
                Files.writeString(f, s.content());
                out.put(s.name(), f);
            }
        }
        return out;
    }

    /** {@code down}: the project's boxes stopped and removed (dependents first), then its networks, volumes with {@code -v}. */
    public void down(String project, Topology t, boolean removeVolumes, Duration grace) throws Exception {
        List<ProjectBox> all = ProjectBoxes.of(boxes, project);
        // a service's boxes stop once every service that depends on it has stopped; the rest in parallel
        Map<String, CompletableFuture<Void>> stopped = new java.util.HashMap<>();
        for (ProjectBox b : all) {
            stopService(b.service(), t, all, grace, stopped);
        }
        try {
            CompletableFuture.allOf(stopped.values().toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        Networks nets = boxes.wiring().networks();
        for (var n : nets.store().all()) {
            if (n.labels().contains(Topology.PROJECT_LABEL + "=" + project)) {
                nets.remove(n.name(), false);
                progress.println(" Network " + n.name() + "  Removed");
            }
        }
        if (removeVolumes) {
            Volumes vols = boxes.wiring().volumes();
            for (var v : vols.store().all()) {
                if (v.labels().contains(Topology.PROJECT_LABEL + "=" + project)) {
                    vols.remove(v.name(), false);
                    progress.println(" Volume " + v.name() + "  Removed");
                }
            }
        }
        Path dir = home.root().resolve("projects").resolve(project);
        if (Files.exists(dir)) {
            io.krunbox.oci.layer.LayerUnpacker.deleteTree(dir);
        }
    }

    /** Services, each after those it depends on. */
    public static List<String> dependencyOrder(Topology t) {
        List<String> out = new ArrayList<>();
        if (t == null) {
            return out;
        }
        while (out.size() < t.services().size()) {
            for (Topology.Service s : t.services()) {
                if (!out.contains(s.name()) && out.containsAll(s.dependsOn().keySet().stream()
                        .filter(d -> t.services().stream().anyMatch(x -> x.name().equals(d))).toList())) {
                    out.add(s.name());
                }
            }
        }
        return out;
    }
}
