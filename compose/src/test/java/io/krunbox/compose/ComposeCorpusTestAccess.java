package io.krunbox.compose;

import io.krunbox.compose.load.LoadOptions;
import java.io.IOException;
import java.nio.file.Path;

/** The corpus's options file reader, for tests of other packages. */
public final class ComposeCorpusTestAccess {
    private ComposeCorpusTestAccess() {}

    public static LoadOptions options(Path dir) throws IOException {
        return ComposeCorpusTest.options(dir, null);
    }
}
