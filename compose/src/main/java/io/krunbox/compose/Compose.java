package io.krunbox.compose;

import io.krunbox.compose.convert.Normalizer;
import io.krunbox.compose.convert.TopologyCompiler;
import io.krunbox.compose.load.LoadOptions;
import io.krunbox.compose.load.ProjectLoader;
import io.krunbox.runtime.model.Topology;

/** The front door: load a project, normalize it, compile it. */
public final class Compose {
    private Compose() {}

    public static Normalizer.Normalized normalize(LoadOptions options) {
        return Normalizer.normalize(new ProjectLoader(options).load(), options.strict());
    }

    /** As {@link #normalize(LoadOptions)}, with some files given as text instead of read from disk. */
    public static Normalizer.Normalized normalize(LoadOptions options, java.util.Map<java.nio.file.Path, String> generated) {
        return Normalizer.normalize(new ProjectLoader(options, generated).load(), options.strict());
    }

    /** The Topology of a compose file, loaded as {@code krunbox compose -f FILE} would (its directory's .env included). */
    public static Topology load(java.nio.file.Path file) {
        return topology(LoadOptions.of(file));
    }

    public static Topology topology(LoadOptions options) {
        return TopologyCompiler.compile(normalize(options));
    }
}
