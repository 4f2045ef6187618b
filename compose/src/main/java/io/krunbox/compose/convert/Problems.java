package io.krunbox.compose.convert;

import io.krunbox.compose.yaml.ComposeException;
import io.krunbox.compose.yaml.Loc;
import io.krunbox.compose.yaml.YNode;
import java.util.ArrayList;
import java.util.List;

/** Errors and warnings of one conversion, each at file:line:column with its model path. */
public final class Problems {
    final List<String> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    private final boolean strict;

    public Problems(boolean strict) {
        this.strict = strict;
    }

    void error(Loc loc, String path, String message) {
        errors.add(ComposeException.format(loc, path, message));
    }

    void error(YNode n, String path, String message) {
        error(n.loc(), path, message);
    }

    /** Unknown keys: a warning, or an error with {@code --strict}. */
    void unknown(Loc loc, String path, String message) {
        (strict ? errors : warnings).add(ComposeException.format(loc, path, message));
    }

    void warn(Loc loc, String path, String message) {
        warnings.add(ComposeException.format(loc, path, message));
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ComposeException(errors);
        }
    }
}
