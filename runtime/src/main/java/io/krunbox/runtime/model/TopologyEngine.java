package io.krunbox.runtime.model;

/**
 * What carries out {@link Topology#up()} and {@link Topology#down()}: the runtime's
 * {@code io.krunbox.runtime.HomeTopologyEngine}, found through {@link java.util.ServiceLoader} so that the
 * model needs nothing of the runtime.
 */
public interface TopologyEngine {
    void up(Topology topology, boolean waitHealthy) throws Exception;

    void down(Topology topology) throws Exception;

    static TopologyEngine get() {
        return java.util.ServiceLoader.load(TopologyEngine.class, TopologyEngine.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no krunbox runtime on the class path: add"
                        + " io.krunbox:krunbox-runtime to run a topology"));
    }
}
