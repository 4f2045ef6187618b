package io.krunbox.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.plan.Plan;
import io.krunbox.runtime.plan.Step;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code compose --progress}: how {@code up} and {@code down} report their work on stderr, as Docker
 * Compose's flag does. {@code auto}/{@code tty}: a line per network, volume and box; {@code plain}:
 * also every step of the plan as it is done, in the words {@code --dry-run} prints; {@code json}:
 * those steps as JSON lines; {@code quiet}: nothing.
 */
enum Progress {
    AUTO, TTY, PLAIN, JSON, QUIET;

    static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    boolean quiet() {
        return this == QUIET;
    }

    /** What is told of each step once it is done. */
    Consumer<Step> reporter(KrunboxHome home, PrintStream err) {
        return switch (this) {
            case PLAIN -> s -> err.println("done " + Plan.line(s, home.root()));
            case JSON -> {
                ObjectMapper json = new ObjectMapper();
                yield s -> {
                    try {
                        err.println(json.writeValueAsString(Map.of("step", s.kind(),
                                "text", s.text().replace(home.root() + "/", ""), "status", "done")));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                };
            }
            default -> s -> { };
        };
    }

    static final class Converter implements ITypeConverter<Progress> {
        @Override
        public Progress convert(String value) {
            try {
                return Progress.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("--progress " + value + ": use auto, tty, plain, json or quiet");
            }
        }
    }
}
