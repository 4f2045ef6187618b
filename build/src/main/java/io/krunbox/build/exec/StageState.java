package io.krunbox.build.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage as the build has made it so far: the image config document, its layers, the ARGs in
 * scope with their values, the SHELL, and the cache key of the last step (which covers every
 * step before it and the base).
 */
final class StageState {
    final ObjectNode doc;
    final List<ImageAssembler.Layer> layers = new ArrayList<>();
    final Map<String, String> args = new LinkedHashMap<>();
    List<String> shell = List.of("/bin/sh", "-c");
    String cacheKey;
    /** Whether this stage set its own CMD (an ENTRYPOINT then keeps it). */
    boolean cmdSet;

    StageState(ObjectNode doc, String cacheKey) {
        this.doc = doc;
        this.cacheKey = cacheKey;
        doc.with("config");
        if (!doc.has("history")) {
            doc.putArray("history");
        }
    }

    /** A copy for a stage built on this one. */
    StageState copy() {
        StageState s = new StageState(doc.deepCopy(), cacheKey);
        s.layers.addAll(layers);
        s.shell = shell;
        return s;
    }

    ObjectNode config() {
        return doc.with("config");
    }

    /** The image's Env as a map, in order. */
    Map<String, String> env() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : config().path("Env")) {
            String s = e.asText();
            int eq = s.indexOf('=');
            out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        return out;
    }

    void setEnv(String key, String value) {
        Map<String, String> env = env();
        env.put(key, value);
        ArrayNode a = config().putArray("Env");
        env.forEach((k, v) -> a.add(k + "=" + v));
    }

    /** A variable as an instruction sees it: ENV first, then an ARG in scope. */
    String lookup(String name) {
        String e = env().get(name);
        return e != null ? e : args.get(name);
    }

    /** RUN's environment: the image's Env and the ARGs in scope (ENV wins). */
    List<String> runEnv() {
        Map<String, String> all = new LinkedHashMap<>(args);
        all.putAll(env());
        List<String> out = new ArrayList<>();
        all.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    String workdir() {
        String w = config().path("WorkingDir").asText("");
        return w.isEmpty() ? "/" : w;
    }

    String user() {
        return config().path("User").asText("");
    }

    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        config().path(key).forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The time of the stage's last step (its base's, before any): what a step that adds no layer is dated. */
    String lastCreated() {
        var h = doc.path("history");
        if (h.size() > 0 && h.get(h.size() - 1).hasNonNull("created")) {
            return h.get(h.size() - 1).get("created").asText();
        }
        return doc.path("created").asText(java.time.Instant.EPOCH.toString());
    }

    /** The time the stage's top layer was made (a cached one keeps its first time). */
    String layerCreated() {
        String c = layers.isEmpty() ? null : layers.get(layers.size() - 1).created();
        return c != null ? c : java.time.Instant.now().toString();
    }

    void history(String createdBy, boolean emptyLayer, String created) {
        ObjectNode h = ((ArrayNode) doc.get("history")).addObject().put("created", created).put("created_by", createdBy);
        if (emptyLayer) {
            h.put("empty_layer", true);
        }
    }
}
