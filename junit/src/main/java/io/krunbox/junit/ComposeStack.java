package io.krunbox.junit;

import io.krunbox.compose.Compose;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.runtime.TopologyPlanner;
import io.krunbox.runtime.TopologyRunner;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Topology;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compose project for a test, as Testcontainers' ComposeContainer: brought up under a project
 * name of its own (the file's, plus the test session), its services' boxes reached through
 * {@link #service}, taken down with its networks and volumes after.
 */
public final class ComposeStack implements Startable, AutoCloseable {
    private final Path file;
    private final List<String> profiles = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, Wait> waits = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(120);
    private Session session;
    private Topology topology;

    private ComposeStack(Path file) {
        this.file = file.toAbsolutePath();
    }

    public static ComposeStack of(Path file) {
        return new ComposeStack(file);
    }

    public ComposeStack withProfiles(String... names) {
        profiles.addAll(List.of(names));
        return this;
    }

    /** A variable for the file's interpolation, over the test JVM's environment and the project's .env. */
    public ComposeStack withEnv(String key, String value) {
        env.put(key, value);
        return this;
    }

    public ComposeStack waitingFor(String service, Wait strategy) {
        waits.put(service, strategy);
        return this;
    }

    public ComposeStack withStartupTimeout(Duration d) {
        timeout = d;
        return this;
    }

    public ComposeStack start() {
        start(Session.get());
        return this;
    }

    @Override
    public synchronized void start(Session s) {
        if (topology != null) {
            return;
        }
        session = s;
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(env);
        Topology loaded;
        try {
            String base = Compose.normalize(new LoadOptions(List.of(file), null, null, profiles, List.of(), false,
                    environment, file.getParent())).name();
            loaded = Compose.topology(new LoadOptions(List.of(file), base + "-" + s.id, null, profiles, List.of(), false,
                    environment, file.getParent()));
        } catch (RuntimeException e) {
            throw new BoxStartupException("compose file " + file + " cannot be loaded: " + e.getMessage(), e);
        }
        topology = labelled(loaded);
        try {
            runner().up(topology, new TopologyPlanner.UpOptions(List.of(), false, false, false, false, timeout, Map.of()));
            for (Map.Entry<String, Wait> w : waits.entrySet()) {
                w.getValue().await((RunningBox) service(w.getKey()), timeout);
            }
        } catch (BoxStartupException e) {
            stop();
            throw e;
        } catch (Exception e) {
            String project = topology.project();
            stop();
            throw new BoxStartupException("compose project " + project + " (" + file + ") did not come up: " + e.getMessage(), e);
        }
    }

    /** Every service's boxes, networks and volumes carry the session's labels, so the reaper finds them. */
    private Topology labelled(Topology t) {
        Map<String, String> labels = session.labelMap();
        List<Topology.Service> services = new ArrayList<>();
        for (Topology.Service s : t.services()) {
            BoxSpec tpl = s.template().toBuilder().labels(labels).build();
            services.add(new Topology.Service(s.name(), tpl, s.replicas(), s.dependsOn(), s.containerName(), s.secrets()));
        }
        List<Topology.Network> nets = new ArrayList<>();
        for (Topology.Network n : t.networks()) {
            Map<String, String> l = new TreeMap<>(n.labels());
            l.putAll(labels);
            nets.add(new Topology.Network(n.key(), n.name(), n.subnet(), n.gateway(), n.internal(), n.external(), l));
        }
        List<Topology.Volume> vols = new ArrayList<>();
        for (Topology.Volume v : t.volumes()) {
            Map<String, String> l = new TreeMap<>(v.labels());
            l.putAll(labels);
            vols.add(new Topology.Volume(v.key(), v.name(), v.external(), l));
        }
        return new Topology(t.project(), services, nets, vols, t.secrets());
    }

    private TopologyRunner runner() {
        return session.krunbox.topologies(session.runner, new PrintStream(OutputStream.nullOutputStream()));
    }

    /** The first box of a service (replica 1). */
    public StartedBox service(String name) {
        if (topology == null) {
            throw new IllegalStateException("compose stack " + file + " is not started: annotate the field with @Box in a"
                    + " @KrunboxTest class, or call start()");
        }
        Topology.Service s = topology.service(name);
        String box = s.boxName(topology.project(), 1);
        return new RunningBox(session, session.boxes.get(box).id(), box);
    }

    /** The project's name here: the file's, plus the session's id. */
    public String project() {
        return topology == null ? null : topology.project();
    }

    @Override
    public synchronized void stop() {
        if (topology == null) {
            return;
        }
        try {
            runner().down(topology.project(), topology, true, Duration.ofSeconds(2));
        } catch (Exception e) {
            // the reaper removes what is left
        } finally {
            topology = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
