package io.krunbox.build.dockerfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile into its instructions, as the Dockerfile reference describes: parser
 * directives at the top ({@code # syntax=}, {@code # escape=}), comments, line continuations
 * with the escape character, flags, the JSON (exec) form, and here-documents. What each
 * instruction means is {@link Stages}' and the builder's; errors carry {@code FILE:LINE:COL}.
 */
public final class DockerfileParser {
    static final Set<String> KEYWORDS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
            "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");
    private static final Set<String> TAKES_FLAGS = Set.of("FROM", "RUN", "COPY", "ADD", "HEALTHCHECK");
    private static final Set<String> BOOLEAN_FLAGS = Set.of("link", "keep-git-dir", "parents");
    private static final Set<String> TAKES_HEREDOCS = Set.of("RUN", "COPY", "ADD");
    private static final Set<String> TAKES_JSON = Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME");
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");
    private static final Pattern FLAG = Pattern.compile("--([a-z][a-z0-9-]*)(?:=(\\S*))?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Dockerfile's text as read: its directives and its instructions in order. */
    public record Parsed(String file, char escape, String syntax, List<Instruction> instructions) {}

    private DockerfileParser() {}

    public static Parsed parse(String file, String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        char escape = '\\';
        String syntax = null;
        int i = 0;
        // directives: only at the very top, before any comment, blank line or instruction
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i]);
            if (!m.matches()) {
                break;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!Set.of("syntax", "escape", "check").contains(name)) {
                break; // an unknown directive is a comment, and ends the directives
            }
            if (!seen.add(name)) {
                throw new DockerfileException(file, i + 1, 1, "the " + name + " directive is given twice: keep one");
            }
            if (name.equals("escape")) {
                if (!m.group(2).equals("\\") && !m.group(2).equals("`")) {
                    throw new DockerfileException(file, i + 1, m.start(2) + 1, "escape must be \\ or `, not \""
                            + m.group(2) + "\"");
                }
                escape = m.group(2).charAt(0);
            } else if (name.equals("syntax")) {
                syntax = m.group(2);
            }
        }
        List<Instruction> out = new ArrayList<>();
        while (i < lines.length) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                i++;
                continue;
            }
            int startLine = i + 1;
            int column = line.indexOf(trimmed.charAt(0)) + 1;
            StringBuilder logical = new StringBuilder();
            String part = line.substring(column - 1);
            for (;;) {
                String right = stripTrailing(part);
                if (!right.isEmpty() && right.charAt(right.length() - 1) == escape) {
                    logical.append(right, 0, right.length() - 1);
                    i++;
                    // comment lines and empty lines inside a continuation are dropped
                    while (i < lines.length && (lines[i].strip().startsWith("#") || lines[i].strip().isEmpty())) {
                        i++;
                    }
                    if (i >= lines.length) {
                        break; // a continuation at the end of the file ends the instruction
                    }
                    part = lines[i];
                    continue;
                }
                logical.append(part);
                i++;
                break;
            }
            Result r = instruction(file, logical.toString(), startLine, column, lines, i, escape);
            out.add(r.instruction());
            i = r.next();
        }
        return new Parsed(file, escape, syntax, out);
    }

    private record Result(Instruction instruction, int next) {}

    private static Result instruction(String file, String text, int line, int column, String[] lines, int next, char escape) {
        Matcher kw = Pattern.compile("^(\\S+)\\s*").matcher(text);
        kw.find();
        String keyword = kw.group(1).toUpperCase(Locale.ROOT);
        if (!KEYWORDS.contains(keyword)) {
            throw new DockerfileException(file, line, column, "unknown instruction " + kw.group(1)
                    + ": use one of " + String.join(", ", new java.util.TreeSet<>(KEYWORDS)));
        }
        String rest = text.substring(kw.end());
        List<Flag> flags = new ArrayList<>();
        if (TAKES_FLAGS.contains(keyword)) {
            for (;;) {
                Matcher f = FLAG.matcher(rest);
                if (!rest.startsWith("--") || !f.lookingAt()) {
                    break;
                }
                if (f.end() < rest.length() && !Character.isWhitespace(rest.charAt(f.end()))) {
                    throw new DockerfileException(file, line, column, "flag \"" + rest.split("\\s")[0] + "\" of "
                            + keyword + " is malformed: write --name=value");
                }
                if (f.group(2) == null && !BOOLEAN_FLAGS.contains(f.group(1))) {
                    throw new DockerfileException(file, line, column, "flag --" + f.group(1) + " of " + keyword
                            + " needs a value: write --" + f.group(1) + "=VALUE");
                }
                flags.add(new Flag(f.group(1), unquote(f.group(2))));
                rest = rest.substring(f.end()).stripLeading();
            }
        }
        String args = stripTrailing(rest);
        List<Heredoc> heredocs = new ArrayList<>();
        if (TAKES_HEREDOCS.contains(keyword) && !args.startsWith("[")) {
            Matcher h = HEREDOC.matcher(args);
            while (h.find()) {
                boolean strip = !h.group(1).isEmpty();
                String name = h.group(3);
                StringBuilder body = new StringBuilder();
                boolean closed = false;
                while (next < lines.length) {
                    String l = lines[next++];
                    String cmp = strip ? l.replaceFirst("^\t+", "") : l;
                    if (cmp.equals(name)) {
                        closed = true;
                        break;
                    }
                    body.append(cmp).append('\n');
                }
                if (!closed) {
                    throw new DockerfileException(file, line, column + keyword.length() + 1 + h.start(),
                            "here-document " + name + " is not closed: end it with a line that is just " + name);
                }
                heredocs.add(new Heredoc(name, body.toString(), h.group(2).isEmpty(), strip));
            }
        }
        List<String> json = null;
        if (TAKES_JSON.contains(keyword) && args.startsWith("[")) {
            json = jsonArray(args);
        }
        if (keyword.equals("HEALTHCHECK")) {
            Matcher cmd = Pattern.compile("^(?i:CMD)\\s+(\\[.*)$").matcher(args);
            if (cmd.matches()) {
                json = jsonArray(cmd.group(1));
            }
        }
        return new Result(new Instruction(keyword, flags, args, json, heredocs, line, column), next);
    }

    /** A JSON array of strings, or null when the text is not one (it is then the shell form, as BuildKit reads it). */
    private static List<String> jsonArray(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    return null;
                }
                out.add(e.asText());
            }
            return out;
        } catch (java.io.IOException notJson) {
            return null;
        }
    }

    private static String unquote(String v) {
        if (v != null && v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

}
