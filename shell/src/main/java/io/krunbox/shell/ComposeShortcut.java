package io.krunbox.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code krunbox up -f shop.groovy -d} and {@code krunbox down -f shop.groovy}: the compose
 * commands at the top level, for DSL scripts as for compose files. The project's options
 * ({@code -f}, {@code -p}, {@code --profile}, ...) may come anywhere after the word; they
 * are moved before it, where {@code krunbox compose} takes them.
 */
final class ComposeShortcut {
    static final Set<String> WORDS = Set.of("up", "down");
    private static final Set<String> WITH_VALUE = Set.of("-f", "--file", "-p", "--project-name", "--project-directory",
            "--profile", "--env-file");
    private static final Set<String> FLAGS = Set.of("--strict");

    private ComposeShortcut() {}

    /** The arguments as {@code krunbox compose} takes them, or {@code args} unchanged when they are not a shortcut. */
    static String[] rewrite(String[] args) {
        if (args.length == 0 || !WORDS.contains(args[0])) {
            return args;
        }
        List<String> project = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
            if (a.equals("--")) {
                rest.addAll(List.of(args).subList(i, args.length));
                break;
            } else if (WITH_VALUE.contains(name) && !name.equals(a)) {
                project.add(a);
            } else if (WITH_VALUE.contains(a) && i + 1 < args.length) {
                project.add(a);
                project.add(args[++i]);
            } else if (FLAGS.contains(a)) {
                project.add(a);
            } else {
                rest.add(a);
            }
        }
        List<String> out = new ArrayList<>(List.of("compose"));
        out.addAll(project);
        out.add(args[0]);
        out.addAll(rest);
        return out.toArray(String[]::new);
    }
}
