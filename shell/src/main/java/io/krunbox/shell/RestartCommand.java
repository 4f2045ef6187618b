package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.state.BoxStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox restart}: stop (SIGTERM, then SIGKILL) and start again, keeping what the box wrote. */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart boxes.")
public final class RestartCommand implements Callable<Integer> {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS",
            description = "Seconds before SIGKILL (default: the box's --stop-timeout, else 10).")
    Integer seconds;

    @Parameters(arity = "1..*", paramLabel = "BOX")
    List<String> targets;

    @Override
    public Integer call() throws Exception {
        PrintStream err = new PrintStream(Invocation.current().stderr(), true);
        KrunboxHome home = KrunboxHome.fromEnvironment();
        try (Images images = Images.open(home, Set.of())) {
            Boxes boxes = new Boxes(home, new BoxStore(images.db()));
            BoxRunner runner = BoxRunner.fromEnvironment(images, err);
            for (String t : targets) {
                boxes.stop(boxes.get(t), seconds == null ? null : Duration.ofSeconds(seconds));
                runner.start(boxes.get(t).id());
                Invocation.current().out().println(t);
            }
        }
        return 0;
    }
}
