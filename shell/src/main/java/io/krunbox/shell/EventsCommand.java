package io.krunbox.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.state.BoxStore.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code krunbox events}: what happened to boxes (create, start, die, kill, stop, restart, rename, destroy). */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Show box events as they happen.", "With --until (or --no-follow) it prints what is recorded and exits."})
public final class EventsCommand implements Callable<Integer> {
    @Option(names = "--since", paramLabel = "TIME", description = "Events since TIME (RFC 3339, or 10m, 2h...).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Events before TIME; then exit.")
    String until;

    @Option(names = "--no-follow", description = "Print what is recorded and exit.")
    boolean noFollow;

    @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE", description = "box=NAME|ID, event=ACTION")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "text|json", description = "One line per event, or one JSON object per line.")
    String format = "text";

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Instant from = BoxCommands.time(since);
        Instant to = BoxCommands.time(until);
        boolean follow = !noFollow && to == null;
        var out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        try (BoxCommands c = new BoxCommands()) {
            long seq = 0;
            do {
                // boxes watched by krunbox-monitor have their end recorded by whoever looks next: look
                c.boxes.reconcile();
                for (Event e : c.boxes.store().events(seq)) {
                    seq = e.seq();
                    Instant at = Instant.parse(e.time());
                    if ((from != null && at.isBefore(from)) || (to != null && !at.isBefore(to)) || !wanted(e)) {
                        continue;
                    }
                    if (format.equals("json")) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("time", e.time());
                        m.put("type", "box");
                        m.put("action", e.action());
                        m.put("id", e.boxId());
                        m.put("name", e.name());
                        m.put("image", e.image());
                        m.put("attributes", e.attributes());
                        out.println(json.writeValueAsString(m));
                    } else {
                        out.println(e.time() + " box " + e.action() + " " + e.boxId().substring(0, 12) + " (name=" + e.name()
                                + ", image=" + e.image() + (e.attributes() == null ? "" : ", " + e.attributes()) + ")");
                    }
                }
                out.flush();
                if (follow) {
                    Thread.sleep(200);
                }
            } while (follow);
        }
        return 0;
    }

    private boolean wanted(Event e) {
        for (String f : filters) {
            int eq = f.indexOf('=');
            String key = eq < 0 ? f : f.substring(0, eq), value = eq < 0 ? "" : f.substring(eq + 1);
            boolean ok = switch (key) {
                case "box", "container" -> e.name().equals(value) || e.boxId().startsWith(value);
                case "event" -> e.action().equals(value);
                default -> throw new IllegalArgumentException("unknown filter \"" + key + "\": use box= or event=");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
