package io.krunbox.junit;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.model.PortMapping;
import io.krunbox.runtime.network.Networks;
import io.krunbox.runtime.volume.Volumes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One box for a test, as Testcontainers' GenericContainer is one container: configured with the
 * {@code with...} methods, started by {@link KrunboxTest} (or {@link #start()}), then reached
 * through {@link StartedBox}'s methods. Published ports are bound on 127.0.0.1 to free host ports.
 */
public final class BoxContainer implements StartedBox, Startable, AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String image;
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Integer> ports = new ArrayList<>();
    private String network;
    private final List<String> aliases = new ArrayList<>();
    private final List<String[]> volumes = new ArrayList<>();
    private Isolation isolation;
    private Wait wait;
    private io.krunbox.runtime.model.HealthCheck health;
    private Duration timeout = Duration.ofSeconds(60);
    private Session session;
    private RunningBox box;
    private boolean madeNetwork;
    private final List<String> madeVolumes = new ArrayList<>();

    private BoxContainer(String image) {
        this.image = image;
    }

    public static BoxContainer of(String image) {
        return new BoxContainer(image);
    }

    public BoxContainer withCommand(String... argv) {
        command.clear();
        command.addAll(List.of(argv));
        return this;
    }

    public BoxContainer withEnv(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Box ports to publish, each on a free port of 127.0.0.1 ({@link #mappedPort} tells which). */
    public BoxContainer withExposedPorts(int... boxPorts) {
        for (int p : boxPorts) {
            ports.add(p);
        }
        return this;
    }

    /** A bridge network (made, labelled with the test session, when it is not there), shared by boxes that name it. */
    public BoxContainer withNetwork(String name) {
        network = name;
        return this;
    }

    /** Names other boxes on the network reach this one by. */
    public BoxContainer withNetworkAliases(String... names) {
        aliases.addAll(List.of(names));
        return this;
    }

    /** A named volume (made when it is not there) or, with an absolute {@code source}, a host directory, at {@code target}. */
    public BoxContainer withVolume(String source, String target) {
        volumes.add(new String[] {source, target});
        return this;
    }

    /** {@code vm} or {@code sandbox}; by default what krunbox chooses (vm where a VM boots). */
    public BoxContainer withIsolation(String name) {
        isolation = Isolation.parse(name);
        return this;
    }

    /** A health check (the command, without a shell), run every second: what {@link Wait#forHealthcheck()} waits for. */
    public BoxContainer withHealthCheck(String... command) {
        health = io.krunbox.runtime.model.HealthCheck.exec(command).withTiming(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ZERO, 120);
        return this;
    }

    public BoxContainer waitingFor(Wait strategy) {
        wait = strategy;
        return this;
    }

    public BoxContainer withStartupTimeout(Duration d) {
        timeout = d;
        return this;
    }

    /** Starts the box outside an extension (close() removes it). */
    public BoxContainer start() {
        start(Session.get());
        return this;
    }

    @Override
    public synchronized void start(Session s) {
        if (box != null) {
            return;
        }
        session = s;
        String name = "kbj-" + s.id + "-" + COUNT.incrementAndGet();
        BoxSpec spec;
        try {
            spec = spec(name);
        } catch (IllegalArgumentException | BoxException | java.io.IOException e) {
            throw new BoxStartupException("box " + name + " (" + image + ") cannot be made: " + e.getMessage(), e);
        }
        String id;
        try {
            id = s.runner.runDetached(spec);
        } catch (RuntimeException e) {
            removeLeftovers(name);
            throw new BoxStartupException("box " + name + " (" + image + ") did not start: " + e.getMessage(), e);
        }
        box = new RunningBox(s, id, name);
        if (wait != null) {
            try {
                wait.await(box, timeout);
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
        }
    }

    private BoxSpec spec(String name) throws java.io.IOException {
        BoxSpec.Builder b = BoxSpec.builder(image).name(name).isolation(isolation);
        b.labels(session.labelMap());
        if (!command.isEmpty()) {
            b.command(command);
        }
        env.forEach((k, v) -> b.env(k + "=" + v));
        if (health != null) {
            b.health(health);
        }
        for (int p : ports) {
            b.port(new PortMapping("127.0.0.1", 0, p, "tcp"));
        }
        if (network != null) {
            Networks nets = session.runner.wiring().networks();
            if (nets.store().find(network).isEmpty()) {
                try {
                    nets.create(network, null, null, false, session.labels());
                    madeNetwork = true;
                } catch (BoxException raced) {
                    // another box of the session made it meanwhile
                }
            }
            List<String> names = new ArrayList<>(aliases);
            b.network(new NetworkAttachment(network, names, null));
        }
        Volumes vols = session.runner.wiring().volumes();
        for (String[] v : volumes) {
            if (v[0].startsWith("/")) {
                b.mount(new MountSpec(MountSpec.Type.BIND, v[0], v[1], false, ""));
            } else {
                if (vols.store().find(v[0]).isEmpty()) {
                    vols.create(v[0], session.labels());
                    madeVolumes.add(v[0]);
                }
                b.mount(new MountSpec(MountSpec.Type.VOLUME, v[0], v[1], false, ""));
            }
        }
        return b.build();
    }

    private void removeLeftovers(String name) {
        try {
            session.boxes.remove(session.boxes.get(name), true, true);
        } catch (Exception none) {
            // nothing was recorded
        }
        removeMade();
    }

    private void removeMade() {
        if (madeNetwork) {
            try {
                session.runner.wiring().networks().remove(network, false);
            } catch (RuntimeException inUse) {
                // another box of the session is still on it; the reaper takes it later
            }
        }
        for (String v : madeVolumes) {
            try {
                session.runner.wiring().volumes().remove(v, false);
            } catch (Exception inUse) {
                // still in use
            }
        }
    }

    /** Stops and removes the box (and the network and volumes it made, once nothing else uses them). */
    @Override
    public synchronized void stop() {
        if (box == null) {
            return;
        }
        try {
            var r = box.record();
            session.boxes.stop(r, Duration.ofSeconds(2));
            session.boxes.remove(session.boxes.get(r.id()), true, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception gone) {
            // already removed
        } finally {
            box = null;
            removeMade();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private RunningBox started() {
        if (box == null) {
            throw new IllegalStateException("box of " + image + " is not started: annotate the field with @Box in a"
                    + " @KrunboxTest class, or call start()");
        }
        return box;
    }

    @Override
    public String host() {
        return started().host();
    }

    @Override
    public int mappedPort(int boxPort) {
        return started().mappedPort(boxPort);
    }

    @Override
    public ExecResult exec(String... argv) {
        return started().exec(argv);
    }

    @Override
    public String logs() {
        return started().logs();
    }

    @Override
    public String id() {
        return started().id();
    }

    @Override
    public String name() {
        return started().name();
    }
}
