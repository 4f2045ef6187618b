package io.krunbox.shell;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;

/** Completion: command names, then the command's flags and the names of boxes, images, networks and volumes. */
final class ReplCompleter implements Completer {
    static final Set<String> COMMANDS = commands();

    private static Set<String> commands() {
        Set<String> all = new TreeSet<>(Main.commandLine().getSubcommands().keySet());
        all.addAll(ComposeShortcut.WORDS); // up / down: compose up / down
        return all;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        if (line.wordIndex() == 0) {
            COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
            List.of(":help", ":vars", ":load", ":save", ":reset", "exit").forEach(c -> candidates.add(new Candidate(c)));
            List.of("boxes", "topology").forEach(c -> candidates.add(new Candidate(c)));
            return;
        }
        CommandLine cmd = Main.commandLine();
        for (int i = 0; i < line.wordIndex() && cmd != null; i++) {
            CommandLine sub = cmd.getSubcommands().get(words.get(i));
            if (sub != null) {
                cmd = sub;
            }
        }
        if (cmd != null) {
            cmd.getSubcommands().keySet().forEach(s -> candidates.add(new Candidate(s)));
            for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
                for (String n : o.names()) {
                    candidates.add(new Candidate(n));
                }
            }
        }
        if (words.size() > 1 && words.get(0).equals("compose")) {
            services().forEach(s -> candidates.add(new Candidate(s)));
        }
        for (String n : Names.all()) {
            candidates.add(new Candidate(n));
        }
    }

    /** The services of the compose project in the current directory (none when there is no project here). */
    static List<String> services() {
        try {
            return new java.util.ArrayList<>(((java.util.Map<?, ?>) io.krunbox.compose.Compose.normalize(
                    new io.krunbox.compose.load.LoadOptions(List.of(), null, null, List.of(), List.of(), false, null, null))
                    .model().get("services")).keySet().stream().map(Object::toString).toList());
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
