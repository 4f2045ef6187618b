package io.krunbox.runtime.topology;

import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Topology;
import io.krunbox.runtime.state.BoxLookup;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.ArrayList;
import java.util.List;

/** A project's boxes, found from state alone by their project label. */
public final class ProjectBoxes {
    private ProjectBoxes() {}

    public record ProjectBox(BoxRecord record, BoxSpec spec) {
        public String service() {
            return spec.labels().get(Topology.SERVICE_LABEL);
        }

        public String hash() {
            return spec.labels().get(Topology.HASH_LABEL);
        }
    }

    public static List<ProjectBox> of(BoxLookup boxes, String project) {
        List<ProjectBox> out = new ArrayList<>();
        for (BoxRecord b : boxes.list(true)) {
            if (b.spec() == null) {
                continue;
            }
            BoxSpec spec = b.spec();
            if (project.equals(spec.labels().get(Topology.PROJECT_LABEL))) {
                out.add(new ProjectBox(b, spec));
            }
        }
        return out;
    }

    /** Every project that has a box, a network or a volume here. */
    public static List<String> projects(BoxLookup boxes) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (BoxRecord b : boxes.list(true)) {
            if (b.spec() != null) {
                String p = b.spec().labels().get(Topology.PROJECT_LABEL);
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return new ArrayList<>(out);
    }
}
