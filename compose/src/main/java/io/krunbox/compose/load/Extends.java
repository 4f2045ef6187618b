package io.krunbox.compose.load;

import io.krunbox.compose.yaml.ComposeException;
import io.krunbox.compose.yaml.YNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code extends: {service: base[, file: other.yaml]}} (or {@code extends: base}): the service is merged over its base. */
final class Extends {
    private Extends() {}

    static void apply(YNode.Mapping model, Interpolator interpolator, ProjectLoader loader) {
        if (!(model.get("services") instanceof YNode.Mapping services)) {
            return;
        }
        for (String name : new ArrayList<>(services.entries().keySet())) {
            services.entries().put(name, resolve(services, name, interpolator, loader, new HashSet<>(), List.of()));
        }
    }

    private static YNode resolve(YNode.Mapping services, String name, Interpolator interpolator, ProjectLoader loader,
                                 Set<String> chain, List<String> order) {
        YNode node = services.get(name);
        if (!(node instanceof YNode.Mapping service) || service.get("extends") == null) {
            return node;
        }
        if (!chain.add(name)) {
            throw new ComposeException(service.keyLoc("extends"), "services." + name + ".extends",
                    "extends cycle: " + String.join(" -> ", chain) + " -> " + name);
        }
        YNode ext = service.get("extends");
        String base;
        String file = null;
        if (ext instanceof YNode.Scalar s) {
            base = s.value();
        } else if (ext instanceof YNode.Mapping m && m.get("service") instanceof YNode.Scalar s) {
            base = s.value();
            file = m.get("file") instanceof YNode.Scalar f ? f.value() : null;
        } else {
            throw new ComposeException(ext.loc(), "services." + name + ".extends", "needs service: (and optionally file:)");
        }
        YNode baseNode;
        if (file == null) {
            if (!services.entries().containsKey(base)) {
                throw new ComposeException(ext.loc(), "services." + name + ".extends", "service " + base + " is not defined");
            }
            baseNode = resolve(services, base, interpolator, loader, chain, order);
        } else {
            Path target = io.krunbox.runtime.base.Invocation.current().resolve(Path.of(ext.loc().file())).getParent().resolve(file).normalize();
            if (!java.nio.file.Files.isRegularFile(target)) {
                throw new ComposeException(ext.loc(), "services." + name + ".extends.file", "file " + file + " does not exist");
            }
            YNode.Mapping other = loader.readFile(target, interpolator, new HashSet<>());
            if (!(other.get("services") instanceof YNode.Mapping os) || os.get(base) == null) {
                throw new ComposeException(ext.loc(), "services." + name + ".extends", "service " + base
                        + " is not defined in " + file);
            }
            baseNode = resolve(os, base, interpolator, loader, new HashSet<>(), List.of());
        }
        YNode.Mapping own = service.copy();
        own.entries().remove("extends");
        YNode.Mapping baseCopy = ((YNode.Mapping) baseNode).copy();
        baseCopy.entries().remove("depends_on"); // Compose does not inherit depends_on
        chain.remove(name);
        return Merger.merge(baseCopy, own, "");
    }
}
