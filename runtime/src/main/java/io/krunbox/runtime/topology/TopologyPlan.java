package io.krunbox.runtime.topology;

import io.krunbox.runtime.plan.Plan;
import io.krunbox.runtime.plan.PreparedBox;
import io.krunbox.runtime.plan.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code up} or {@code down} of a topology will do, made once: first the steps that
 * set the project up (networks, volumes, secret files, orphans removed), then a stage per service
 * in dependency order (the waits for what it depends on, then each replica: its own box plan
 * included), then the closing steps ({@code --wait}, networks and volumes removed by {@code down}).
 * Stages whose services do not depend on each other are carried out side by side; {@link #plan()}
 * is the printed form, and carrying the plan out reports every one of those steps as done.
 */
public record TopologyPlan(String title, List<Step> setup, List<Stage> stages, List<Step> closing) {
    public TopologyPlan {
        setup = List.copyOf(setup);
        stages = List.copyOf(stages);
        closing = List.copyOf(closing);
    }

    /** One service's part: it starts after the stages of {@code after}, waits, then handles its boxes side by side. */
    public record Stage(String service, List<String> after, List<Step> waits, List<BoxItem> boxes) {
        public Stage {
            after = List.copyOf(after);
            waits = List.copyOf(waits);
            boxes = List.copyOf(boxes);
        }
    }

    /**
     * One box of a stage: what happens to it ({@code head}: create, recreate, start, keep, stop and
     * remove) and, when it is made, the plan it is made by, carried out as planned.
     */
    public record BoxItem(Step head, PreparedBox made) {
        public List<Step> steps() {
            List<Step> out = new ArrayList<>();
            out.add(head);
            if (made != null) {
                out.addAll(made.plan().steps());
            }
            return out;
        }
    }

    /** Every step in the order a single thread would take them. */
    public Plan plan() {
        List<Step> all = new ArrayList<>(setup);
        for (Stage s : stages) {
            all.addAll(s.waits());
            for (BoxItem b : s.boxes()) {
                all.addAll(b.steps());
            }
        }
        all.addAll(closing);
        return new Plan(title, all);
    }
}
