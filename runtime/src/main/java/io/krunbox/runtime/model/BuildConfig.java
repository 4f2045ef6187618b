package io.krunbox.runtime.model;

import java.util.List;
import java.util.Map;

/**
 * How a service's image is built (compose {@code build:}): the context directory (absolute),
 * the Dockerfile in it or inline, build args, target stage, labels, extra tags, secrets (id to
 * file), and whether to skip the cache or pull the bases again.
 */
public record BuildConfig(String context, String dockerfile, String dockerfileInline, Map<String, String> args,
                          String target, Map<String, String> labels, List<String> tags, Map<String, String> secrets,
                          boolean noCache, boolean pull) {
    public BuildConfig {
        args = args == null ? Map.of() : Map.copyOf(args);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        tags = tags == null ? List.of() : List.copyOf(tags);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        if (context == null || context.isBlank()) {
            throw new IllegalArgumentException("a build needs a context directory");
        }
    }
}
