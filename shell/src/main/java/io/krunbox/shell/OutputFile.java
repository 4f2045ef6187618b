package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file a command writes for its caller ({@code -o FILE}, {@code --iidfile}): whole or not at
 * all (written beside it, then moved into place), with the mode the caller's umask gives.
 */
final class OutputFile {
    /** What goes into the file. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private OutputFile() {}

    static void write(Path target, Content content) throws IOException {
        Path file = Invocation.current().resolve(target);
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            Invocation.current().madeForCaller(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
