package io.krunbox.runtime;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.plan.BoxPlanner;
import io.krunbox.runtime.plan.Step;
import io.krunbox.runtime.topology.TopologyPlan;
import io.krunbox.runtime.topology.TopologyPlan.BoxItem;
import io.krunbox.runtime.topology.TopologyPlan.Stage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Carries out a {@link TopologyPlan} as it was made: the set-up steps in order, then each
 * service's stage once the stages it depends on are done (independent ones side by side, the
 * replicas of a stage too), then the closing steps. Every step is reported to a listener when done.
 */
public final class TopologyRunner {
    private final TopologyPlanner planner;
    private final BoxRunner runner;
    private final PrintStream progress;
    /** Boxes are made and stopped on threads of their own: the work is mostly waiting on other processes. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread th = new Thread(r, "krunbox-topology");
        th.setDaemon(true);
        return th;
    });

    public TopologyRunner(KrunboxHome home, BoxRunner runner, Boxes boxes, PrintStream progress) {
        this.planner = new TopologyPlanner(home, runner, boxes, progress);
        this.runner = runner;
        this.progress = progress;
    }

    public TopologyPlanner planner() {
        return planner;
    }

    /** {@code up}: pulls the images that are not here, then makes the plan and carries it out. */
    public void up(Topology t, TopologyPlanner.UpOptions o) throws Exception {
        up(t, o, step -> { });
    }

    public void up(Topology t, TopologyPlanner.UpOptions o, Consumer<Step> done) throws Exception {
        for (String image : planner.missingImages(t, o)) {
            runner.pull(image);
        }
        execute(planner.up(t, o), done);
    }

    /** {@code down}: the plan of {@link TopologyPlanner#down}, carried out. */
    public void down(String project, Topology t, boolean removeVolumes, Duration grace) throws Exception {
        down(project, t, removeVolumes, grace, step -> { });
    }

    public void down(String project, Topology t, boolean removeVolumes, Duration grace, Consumer<Step> done)
            throws Exception {
        execute(planner.down(project, t, removeVolumes, grace), done);
    }

    /** Carries out every step of the plan, reporting each to {@code done}; the first failure ends it. */
    public void execute(TopologyPlan plan, Consumer<Step> done) throws Exception {
        for (Step s : plan.setup()) {
            run(s, done);
        }
        Map<String, CompletableFuture<Void>> stages = new HashMap<>();
        for (Stage st : plan.stages()) {
            CompletableFuture<?>[] before = st.after().stream().map(stages::get).filter(java.util.Objects::nonNull)
                    .toArray(CompletableFuture[]::new);
            stages.put(st.service(), CompletableFuture.allOf(before).thenRunAsync(io.krunbox.runtime.base.Invocation.carry(() -> stage(st, done)), POOL));
        }
        try {
            CompletableFuture.allOf(stages.values().toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        for (Step s : plan.closing()) {
            run(s, done);
        }
    }

    private void stage(Stage st, Consumer<Step> done) {
        for (Step w : st.waits()) {
            unchecked(() -> run(w, done));
        }
        List<CompletableFuture<Void>> boxes = new ArrayList<>();
        for (BoxItem b : st.boxes()) {
            boxes.add(CompletableFuture.runAsync(io.krunbox.runtime.base.Invocation.carry(() -> unchecked(() -> box(b, done))), POOL));
        }
        CompletableFuture.allOf(boxes.toArray(CompletableFuture[]::new)).join();
    }

    private void box(BoxItem b, Consumer<Step> done) throws Exception {
        run(b.head(), done);
        if (b.made() == null) {
            return;
        }
        runner.create(b.made(), done);
        // the launch (links, ports, limits, the process, libkrun's calls) is done once start returns
        boolean launched = false;
        for (Step s : b.made().plan().steps()) {
            launched |= BoxPlanner.START_STEPS.contains(s.kind());
            if (launched) {
                done.accept(s);
            }
        }
        progress.println(" Box " + b.made().name() + "  Started");
    }

    private static void run(Step s, Consumer<Step> done) throws Exception {
        if (s.action() != null) {
            s.action().run();
        }
        done.accept(s);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void unchecked(Work w) {
        try {
            w.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new BoxException(e.getMessage(), e);
        }
    }
}
