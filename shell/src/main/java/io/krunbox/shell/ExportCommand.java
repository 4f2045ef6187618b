package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.rootfs.BoxCopy;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox export BOX}: the box's whole root file system as a tar. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Write a box's root file system as a tar (running or stopped).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BOX")
    String box;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (output == null && Invocation.current().terminal()) {
            throw new IllegalArgumentException("export writes a tar: redirect standard output or give -o FILE");
        }
        try (BoxCommands c = new BoxCommands()) {
            BoxRecord b = c.boxes.get(box);
            c.boxes.withRootfs(b, root -> {
                if (output != null) {
                    OutputFile.write(output, out -> BoxCopy.exportTar(root, out)); // no half-written file
                } else {
                    try (OutputStream out = Invocation.current().stdout()) {
                        BoxCopy.exportTar(root, out);
                    }
                }
                return null;
            });
        }
        return 0;
    }
}
