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

    public static Topology topology(LoadOptions options) {
        return TopologyCompiler.compile(normalize(options));
    }
}
