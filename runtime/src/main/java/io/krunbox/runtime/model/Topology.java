package io.krunbox.runtime.model;

import java.util.List;
import java.util.Map;

/**
 * A project of boxes: services (each a box template, replicated), the networks and volumes
 * they share, and the secrets they read. What a compose file and a DSL script compile to,
 * and what {@code up} and {@code down} carry out.
 */
public record Topology(String project, List<Service> services, List<Network> networks, List<Volume> volumes,
                       List<Secret> secrets) {
    public static final String PROJECT_LABEL = "io.krunbox.project";
    public static final String SERVICE_LABEL = "io.krunbox.service";
    public static final String NUMBER_LABEL = "io.krunbox.number";
    public static final String HASH_LABEL = "io.krunbox.config-hash";

    public Topology {
        services = List.copyOf(services);
        networks = List.copyOf(networks);
        volumes = List.copyOf(volumes);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** A topology in plain Java, equal to what a compose file or DSL script with the same content compiles to. */
    public static TopologyBuilder builder(String project) {
        return new TopologyBuilder(project);
    }

    /**
     * Brings the topology up as {@code compose up -d} does, in the home of the environment
     * ({@code KRUNBOX_HOME}); {@code waitHealthy}: returns once every box runs and is healthy.
     */
    public Topology up(boolean waitHealthy) throws Exception {
        TopologyEngine.get().up(this, waitHealthy);
        return this;
    }

    public Topology up() throws Exception {
        return up(false);
    }

    /** Stops and removes the topology's boxes, networks and volumes ({@code compose down -v}). */
    public Topology down() throws Exception {
        TopologyEngine.get().down(this);
        return this;
    }

    public Service service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such service: " + name));
    }

    /** When a dependency counts as met. */
    public enum Condition { STARTED, HEALTHY, COMPLETED_SUCCESSFULLY }

    public record Dependency(Condition condition, boolean required) {}

    /**
     * One service: its box template (name unset; the labels name the project and service, and
     * {@link #HASH_LABEL} the digest of the service's configuration, worked out here), replicas,
     * dependencies, a fixed box name when given, the secrets it mounts, and how its image is
     * built (null: it is pulled).
     */
    public record Service(String name, BoxSpec template, int replicas, Map<String, Dependency> dependsOn,
                          String containerName, List<SecretMount> secrets, BuildConfig build) {
        public Service(String name, BoxSpec template, int replicas, Map<String, Dependency> dependsOn,
                       String containerName, List<SecretMount> secrets) {
            this(name, template, replicas, dependsOn, containerName, secrets, null);
        }

        public Service {
            dependsOn = Map.copyOf(dependsOn);
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
            // the template carries the digest of everything else: up leaves a box whose digest is unchanged alone
            Map<String, String> labels = new java.util.TreeMap<>(template.labels());
            labels.remove(HASH_LABEL);
            BoxSpec plain = template.toBuilder().labelMap(labels).build();
            template = plain.toBuilder().label(HASH_LABEL, ConfigHash.of(plain, dependsOn, containerName, secrets)).build();
        }

        /** The box of replica {@code n} (1-based): {@code <project>-<service>-<n>} or the container name. */
        public String boxName(String project, int n) {
            return containerName != null ? containerName : project + "-" + name + "-" + n;
        }
    }

    /** @param name the network's real name ({@code <project>_<key>} unless external or named) */
    public record Network(String key, String name, String subnet, String gateway, boolean internal, boolean external,
                          Map<String, String> labels) {}

    public record Volume(String key, String name, boolean external, Map<String, String> labels) {}

    /** A secret or config: from a file, or content krunbox writes for the project. */
    public record Secret(String name, String file, String content) {}

    public record SecretMount(String secret, String target) {}
}
