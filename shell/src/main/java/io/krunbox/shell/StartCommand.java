package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import io.krunbox.runtime.state.BoxStore;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox start}: start created or exited boxes in the background; -a waits and returns the exit code. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start boxes.", "With -a: follow the box's output and exit with its code."})
public final class StartCommand implements Callable<Integer> {
    @Option(names = {"-a", "--attach"}, description = "Follow the output and return the box's exit code.")
    boolean attach;

    @Parameters(arity = "1..*", paramLabel = "BOX")
    List<String> targets;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(Invocation.current().stdout(), true);
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        KrunboxHome home = KrunboxHome.fromEnvironment();
        try (Images images = Images.open(home, Set.of())) {
            BoxRunner runner = BoxRunner.fromEnvironment(images, err);
            Boxes boxes = new Boxes(home, new BoxStore(images.db()));
            int status = 0;
            for (String t : targets) {
                BoxRecord b = boxes.get(t);
                try {
                    runner.start(b.id());
                } catch (BoxException e) {
                    err.println("Error: " + e.getMessage());
                    status = 1;
                    continue;
                }
                if (attach) {
                    return boxes.attach(b, out, err);
                }
                out.println(t);
            }
            return status;
        }
    }
}
