package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.rootfs.BoxChanges;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox diff BOX}: what the box changed in its root, as A/C/D lines. */
@Command(name = "diff", mixinStandardHelpOptions = true, description = {"Show what a box changed in its root file system:",
        "A added, C changed, D deleted (running or stopped; overlay or copied root)."})
public final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BOX")
    String box;

    @Option(names = "--format", paramLabel = "json", description = "json: one array of {Kind, Path}.")
    String format;

    @Override
    public Integer call() throws Exception {
        try (BoxCommands c = new BoxCommands()) {
            BoxRecord b = c.boxes.get(box);
            List<java.nio.file.Path> lower = c.lowerDirs(b);
            List<BoxChanges.Change> changes = c.boxes.withFrozenRootfs(b, root -> BoxChanges.of(c.boxes.dir(b), lower));
            if ("json".equals(format)) {
                var json = new com.fasterxml.jackson.databind.ObjectMapper();
                var arr = json.createArrayNode();
                for (BoxChanges.Change ch : changes) {
                    arr.addObject().put("Kind", ch.kind() == 'C' ? 0 : ch.kind() == 'A' ? 1 : 2).put("Path", ch.path());
                }
                Invocation.current().out().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
            } else {
                changes.forEach(Invocation.current().out()::println);
            }
        }
        return 0;
    }
}
