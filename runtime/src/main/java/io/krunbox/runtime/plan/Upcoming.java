package io.krunbox.runtime.plan;

import io.krunbox.runtime.model.PortMapping;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What earlier steps of the same plan will have made by the time a box's steps run: networks and
 * volumes a topology creates first, and the host ports of the boxes planned before this one (so
 * two replicas never draw the same free port), and the boxes they remove (a recreated box gives
 * its ports to its successor). {@link #NONE} for a box planned on its own.
 */
public record Upcoming(Set<String> networks, Set<String> volumes, Map<String, List<PortMapping>> ports,
                       Set<String> removed) {
    public static final Upcoming NONE = new Upcoming(Set.of(), Set.of(), Map.of(), Set.of());

    public Upcoming {
        networks = Set.copyOf(networks);
        volumes = Set.copyOf(volumes);
        ports = Map.copyOf(ports);
        removed = Set.copyOf(removed);
    }
}
