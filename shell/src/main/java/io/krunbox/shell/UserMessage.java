package io.krunbox.shell;

import java.util.regex.Pattern;

/**
 * What a user reads when a command fails: the failure's own words, never a Java exception's
 * class name ({@code java.io.UncheckedIOException: java.io.EOFException: Truncated TAR archive}
 * reads {@code Truncated TAR archive}). {@code KRUNBOX_DEBUG} still prints the stack trace.
 */
final class UserMessage {
    /** {@code java.io.EOFException: }, {@code io.krunbox.x.BoxException: }, anywhere in a message. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*|$)");

    private UserMessage() {}

    static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : CLASS_NAME.matcher(t.getMessage()).replaceAll("").strip();
            if (!m.isEmpty()) {
                return m;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (e instanceof OutOfMemoryError) {
            return "krunbox ran out of memory: give its JVM more (JAVA_OPTS=-Xmx...) or do less at once";
        }
        if (e instanceof StackOverflowError) {
            return "krunbox's stack overflowed (a structure nested too deeply?)";
        }
        return "krunbox failed without saying why (an internal error): run it again with KRUNBOX_DEBUG=1 and report"
                + " what it prints";
    }
}
