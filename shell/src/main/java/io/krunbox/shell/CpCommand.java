package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.rootfs.BoxCopy;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code krunbox cp}: copy between the host and a box (either side may be "-" for a tar stream). */
@Command(name = "cp", mixinStandardHelpOptions = true,
        description = {"Copy files between a box and the host.",
                "krunbox cp BOX:SRC DEST | cp SRC BOX:DEST | cp BOX:SRC - (tar to stdout) | cp - BOX:DIR (tar from stdin)",
                "Works on the box's root file system, running or not; as with Docker, not on tmpfs (such as /tmp)",
                "or other mounts made inside the box."})
public final class CpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DEST")
    String destination;

    @Override
    public Integer call() throws Exception {
        int fromBox = boxSeparator(source);
        int toBox = boxSeparator(destination);
        if ((fromBox < 0) == (toBox < 0)) {
            throw new BoxException("cp copies between a box and the host: write one side as BOX:PATH");
        }
        try (BoxCommands c = new BoxCommands()) {
            if (fromBox >= 0) {
                BoxRecord b = c.boxes.get(source.substring(0, fromBox));
                String path = source.substring(fromBox + 1);
                c.boxes.withRootfs(b, root -> {
                    if (destination.equals("-")) {
                        BoxCopy.outTar(root, path, Invocation.current().stdout());
                    } else {
                        BoxCopy.out(root, path, Invocation.current().resolve(destination));
                    }
                    return null;
                });
            } else {
                BoxRecord b = c.boxes.get(destination.substring(0, toBox));
                String path = destination.substring(toBox + 1);
                c.boxes.withRootfs(b, root -> {
                    if (source.equals("-")) {
                        BoxCopy.inTar(Invocation.current().stdin(), root, path);
                    } else {
                        BoxCopy.in(Invocation.current().resolve(source), root, path);
                    }
                    return null;
                });
            }
        }
        return 0;
    }

    /** Where BOX: ends, or -1 for a host path (which may itself contain ':' after a '/'). */
    private static int boxSeparator(String arg) {
        int colon = arg.indexOf(':');
        return colon > 0 && !arg.substring(0, colon).contains("/") ? colon : -1;
    }
}
