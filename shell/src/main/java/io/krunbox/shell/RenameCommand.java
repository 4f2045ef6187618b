package io.krunbox.shell;

import io.krunbox.runtime.base.BoxNames;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code krunbox rename BOX NEW_NAME}. */
@Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a box.")
public final class RenameCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BOX")
    String box;

    @Parameters(index = "1", paramLabel = "NEW_NAME")
    String name;

    @Override
    public Integer call() {
        BoxNames.checkName(name);
        try (BoxCommands c = new BoxCommands()) {
            c.boxes.store().rename(c.boxes.get(box).id(), name);
        }
        return 0;
    }
}
