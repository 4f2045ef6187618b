package io.krunbox.runtime;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.model.TopologyEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link Topology#up()} and {@link Topology#down()} run (found by the service loader): the
 * topology up and down in the home of the environment ({@code KRUNBOX_HOME}), as
 * {@code compose up -d} and {@code compose down -v} do it: one plan, carried out.
 */
public final class HomeTopologyEngine implements TopologyEngine {
    @Override
    public void up(Topology topology, boolean waitHealthy) throws Exception {
        try (Krunbox k = Krunbox.open()) {
            k.topologies(Invocation.current().err()).up(topology, new TopologyPlanner.UpOptions(List.of(), false, false,
                    false, waitHealthy, Duration.ofMinutes(5), Map.of()));
        }
    }

    @Override
    public void down(Topology topology) throws Exception {
        try (Krunbox k = Krunbox.open()) {
            k.topologies(Invocation.current().err()).down(topology.project(), topology, true, null);
        }
    }
}
