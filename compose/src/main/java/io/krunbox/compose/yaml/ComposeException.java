package io.krunbox.compose.yaml;

import java.util.List;

/** A compose file is wrong: every message carries file:line:column and the path in the model. */
public final class ComposeException extends RuntimeException {
    private final List<String> problems;

    public ComposeException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public ComposeException(Loc loc, String path, String message) {
        this(List.of(format(loc, path, message)));
    }

    public static String format(Loc loc, String path, String message) {
        return loc + ": " + (path == null || path.isEmpty() ? "" : path + ": ") + message;
    }

    public List<String> problems() {
        return problems;
    }
}
