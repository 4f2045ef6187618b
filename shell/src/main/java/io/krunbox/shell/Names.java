package io.krunbox.shell;

import java.util.ArrayList;
import java.util.List;

/** Names of things in state, for completion: boxes, images, networks, volumes. */
final class Names {
    private Names() {}

    static List<String> all() {
        List<String> out = new ArrayList<>();
        try (BoxCommands c = new BoxCommands()) {
            c.boxes.store().all().forEach(b -> out.add(b.name()));
            c.images.store().list().forEach(r -> out.addAll(r.tags()));
            c.boxes.wiring().networks().store().all().forEach(n -> out.add(n.name()));
            c.boxes.wiring().volumes().store().all().forEach(v -> out.add(v.name()));
        } catch (RuntimeException e) {
            // completion must never break the line being typed
        }
        return out;
    }
}
