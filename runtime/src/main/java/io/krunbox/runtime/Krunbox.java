package io.krunbox.runtime;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.model.TopologyEngine;
import io.krunbox.runtime.state.BoxStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link Topology#up()} and {@link Topology#down()} run (found by the service loader): the
 * topology up and down in the home of the environment ({@code KRUNBOX_HOME}), as
 * {@code compose up -d} and {@code compose down -v} do it: one plan, carried out.
 */
public final class Krunbox implements TopologyEngine {
    @Override
    public void up(Topology topology, boolean waitHealthy) throws Exception {
        withRunner(Invocation.current().err(), r -> r.up(topology, new TopologyPlanner.UpOptions(List.of(), false, false, false,
                waitHealthy, Duration.ofMinutes(5), Map.of())));
    }

    @Override
    public void down(Topology topology) throws Exception {
        withRunner(Invocation.current().err(), r -> r.down(topology.project(), topology, true, null));
    }

    private interface Work {
        void run(TopologyRunner runner) throws Exception;
    }

    private static void withRunner(PrintStream progress, Work work) throws Exception {
        KrunboxHome home = KrunboxHome.fromEnvironment();
        home.create();
        try (Images images = Images.open(home, java.util.Set.of())) {
            BoxRunner runner = BoxRunner.fromEnvironment(images, progress);
            work.run(new TopologyRunner(home, runner, new Boxes(home, new BoxStore(images.db())), progress));
        }
    }
}
