package io.krunbox.shell;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;

/**
 * Completion: command names and DSL words, then the command's flags, the names of boxes,
 * images, networks and volumes, file paths, compose service names, and the methods of a
 * Groovy variable of the session ({@code boxes.}, {@code b.}).
 */
final class ReplCompleter implements Completer {
    static final Set<String> COMMANDS = commands();
    /** The words of the DSL's blocks (topology, box, network, healthcheck) and the script API. */
    static final Set<String> DSL_WORDS = dslWords();
    private final java.util.function.Function<String, Object> variables;

    ReplCompleter() {
        this(name -> null);
    }

    /** {@code variables}: the session's Groovy variable of a name, or null. */
    ReplCompleter(java.util.function.Function<String, Object> variables) {
        this.variables = variables;
    }

    private static Set<String> dslWords() {
        Set<String> out = new TreeSet<>(List.of("boxes", "topology", "load"));
        for (Class<?> c : List.of(io.krunbox.dsl.TopologyDsl.class, io.krunbox.dsl.BoxDsl.class,
                io.krunbox.dsl.NetworkDsl.class, io.krunbox.dsl.HealthDsl.class)) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.getName().contains("$")
                        && !m.getName().startsWith("get") && !m.getName().startsWith("set")) {
                    out.add(m.getName());
                }
            }
        }
        return out;
    }

    private static Set<String> commands() {
        Set<String> all = new TreeSet<>(Main.commandLine().getSubcommands().keySet());
        all.addAll(ComposeShortcut.WORDS); // up / down: compose up / down
        return all;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        String word = line.word();
        if (word.contains(".") && !word.contains("/") && Character.isJavaIdentifierStart(word.charAt(0))) {
            methods(word, candidates);
            return;
        }
        if (line.wordIndex() == 0) {
            COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
            List.of(":help", ":vars", ":load", ":save", ":reset", "exit").forEach(c -> candidates.add(new Candidate(c)));
            DSL_WORDS.forEach(c -> candidates.add(new Candidate(c)));
            return;
        }
        if (word.startsWith("/") || word.startsWith("./") || word.startsWith("../") || word.startsWith("~")
                || line.wordIndex() > 0 && Set.of("-f", "--file", "--env-file", "-v", "--volume", ":load", ":save", "script",
                "convert").contains(words.get(line.wordIndex() - 1))) {
            paths(word, candidates);
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
            List<java.nio.file.Path> files = new java.util.ArrayList<>();
            for (int i = 1; i + 1 < words.size(); i++) {
                if (words.get(i).equals("-f") || words.get(i).equals("--file")) {
                    files.add(java.nio.file.Path.of(words.get(i + 1)).toAbsolutePath());
                }
            }
            services(files).forEach(s -> candidates.add(new Candidate(s)));
        }
        for (String n : Names.all()) {
            candidates.add(new Candidate(n));
        }
    }

    /** {@code name.prefix}: the public methods of the session's variable {@code name}. */
    private void methods(String word, List<Candidate> candidates) {
        int dot = word.lastIndexOf('.');
        Object target = variables.apply(word.substring(0, dot));
        if (target == null) {
            return;
        }
        Set<String> names = new TreeSet<>();
        for (java.lang.reflect.Method m : target.getClass().getMethods()) {
            if (m.getDeclaringClass() != Object.class && !m.getName().contains("$")) {
                names.add(m.getName());
            }
        }
        names.forEach(n -> candidates.add(new Candidate(word.substring(0, dot + 1) + n, n, null, null, null, null, false)));
    }

    /** Files and directories that complete {@code word} (a directory ends in '/', and completion goes on). */
    static void paths(String word, List<Candidate> candidates) {
        String expanded = word.startsWith("~") ? System.getProperty("user.home") + word.substring(1) : word;
        int slash = expanded.lastIndexOf('/');
        java.nio.file.Path dir = java.nio.file.Path.of(slash < 0 ? "." : slash == 0 ? "/" : expanded.substring(0, slash));
        String prefix = expanded.substring(slash + 1);
        String shown = slash < 0 ? "" : word.substring(0, word.lastIndexOf('/') + 1);
        try (var entries = java.nio.file.Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().forEach(n -> {
                boolean isDir = java.nio.file.Files.isDirectory(dir.resolve(n));
                candidates.add(new Candidate(shown + n + (isDir ? "/" : ""), n, null, null, null, null, !isDir));
            });
        } catch (java.io.IOException | RuntimeException e) {
            // no such directory: nothing to offer
        }
    }

    /** The services of a compose project: {@code files}, or the one in the current directory (none when there is none). */
    static List<String> services(List<java.nio.file.Path> files) {
        try {
            return new java.util.ArrayList<>(((java.util.Map<?, ?>) io.krunbox.compose.Compose.normalize(
                    new io.krunbox.compose.load.LoadOptions(files, null, null, List.of(), List.of(), false, null, null))
                    .model().get("services")).keySet().stream().map(Object::toString).toList());
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
