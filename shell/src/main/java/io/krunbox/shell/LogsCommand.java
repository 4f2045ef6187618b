package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.logs.LogReader;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox logs}: a box's output, kept after it ends (and after --rm until prune). */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Show a box's output.")
public final class LogsCommand implements Callable<Integer> {
    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the box ends.")
    boolean follow;

    @Option(names = {"-t", "--timestamps"}, description = "Show when each line was written.")
    boolean timestamps;

    @Option(names = "--since", paramLabel = "TIME", description = "Only lines since TIME (RFC 3339, or 10m, 2h...).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only lines before TIME.")
    String until;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Only the last N lines.")
    String tail = "all";

    @Parameters(paramLabel = "BOX")
    String box;

    @Override
    public Integer call() throws Exception {
        int n = tail.equals("all") ? -1 : Integer.parseInt(tail);
        PrintStream out = new PrintStream(Invocation.current().stdout(), false);
        PrintStream err = new PrintStream(Invocation.current().stderr(), false);
        LogReader.Options options = new LogReader.Options(timestamps, BoxCommands.time(since), BoxCommands.time(until), n,
                follow);
        try (BoxCommands c = new BoxCommands()) {
            var live = c.boxes.store().find(box);
            if (live.isEmpty()) {
                // a box run with --rm keeps its log until prune
                var removed = io.krunbox.runtime.state.RemovedBoxes.find(io.krunbox.runtime.base.KrunboxHome.fromEnvironment(), box)
                        .orElseThrow(() -> new io.krunbox.runtime.base.NoSuchBoxException(box));
                LogReader.print(removed.log(), options, out, err, () -> false);
                return 0;
            }
            BoxRecord b = c.boxes.get(box);
            LogReader.print(c.boxes.log(b), options, out, err, () -> c.boxes.get(b.id()).status().active());
        }
        return 0;
    }
}
