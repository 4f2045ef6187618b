package io.krunbox.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The word rules of the instructions that are not handed to a shell (FROM, COPY, ADD, ENV, ARG,
 * LABEL, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL): words split at unquoted white space,
 * single quotes taken literally, double quotes with substitution, the escape character making
 * the next character literal, and {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}},
 * {@code ${VAR-word}}, {@code ${VAR:+word}}, {@code ${VAR+word}} and {@code ${VAR:?message}}.
 * A variable that is not set is empty. Errors say where, in {@code FILE:LINE:COL}.
 */
public final class Words {
    private final char escape;
    private final Function<String, String> lookup;
    private final String file;
    private final int line;
    private final int column;

    /** {@code lookup} gives a variable's value, or null when it is not set. */
    public Words(char escape, Function<String, String> lookup, String file, int line, int column) {
        this.escape = escape;
        this.lookup = lookup;
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** The words of {@code text}. */
    public List<String> split(String text) {
        return lex(text, true);
    }

    /** {@code text} as one word (white space kept), quotes removed and variables substituted. */
    public String word(String text) {
        List<String> w = lex(text, false);
        return w.isEmpty() ? "" : w.get(0);
    }

    private List<String> lex(String s, boolean splitting) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (splitting && Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            inWord = true;
            if (c == escape && i + 1 < s.length()) {
                cur.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw error(i, "a single quote is not closed: close it with '");
                }
                cur.append(s, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < s.length()) {
                    char d = s.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == escape && i + 1 < s.length() && "\"$`\\".indexOf(s.charAt(i + 1)) >= 0) {
                        cur.append(s.charAt(i + 1));
                        i += 2;
                    } else if (d == '$') {
                        i = variable(s, i, cur);
                    } else {
                        cur.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw error(s.length(), "a double quote is not closed: close it with \"");
                }
            } else if (c == '$') {
                i = variable(s, i, cur);
            } else {
                cur.append(c);
                i++;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Substitutes the variable at {@code s[i] == '$'} into {@code out}; returns the index after it. */
    private int variable(String s, int i, StringBuilder out) {
        if (i + 1 >= s.length()) {
            out.append('$');
            return i + 1;
        }
        char n = s.charAt(i + 1);
        if (n == '{') {
            int close = matchingBrace(s, i + 2);
            if (close < 0) {
                throw error(i, "${ is not closed: close it with }");
            }
            String inner = s.substring(i + 2, close);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])(.*))?$",
                    java.util.regex.Pattern.DOTALL).matcher(inner);
            if (!m.matches()) {
                throw error(i, "bad substitution ${" + inner + "}: write ${NAME}, ${NAME:-default} or ${NAME:+alternative}");
            }
            String value = lookup.apply(m.group(1));
            String op = m.group(2);
            String word = m.group(3) == null ? "" : new Words(escape, lookup, file, line, column).word(m.group(3));
            if (op == null) {
                out.append(value == null ? "" : value);
            } else {
                boolean colon = op.startsWith(":");
                boolean unset = value == null || colon && value.isEmpty();
                switch (op.charAt(op.length() - 1)) {
                    case '-' -> out.append(unset ? word : value);
                    case '+' -> out.append(unset ? "" : word);
                    default -> {
                        if (unset) {
                            throw error(i, m.group(1) + ": " + (word.isEmpty() ? "not set" : word));
                        }
                        out.append(value);
                    }
                }
            }
            return close + 1;
        }
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j == i + 1) {
            out.append('$');
            return i + 1;
        }
        String value = lookup.apply(s.substring(i + 1, j));
        out.append(value == null ? "" : value);
        return j;
    }

    private static int matchingBrace(String s, int from) {
        int depth = 1;
        for (int k = from; k < s.length(); k++) {
            if (s.charAt(k) == '{') {
                depth++;
            } else if (s.charAt(k) == '}' && --depth == 0) {
                return k;
            }
        }
        return -1;
    }

    private DockerfileException error(int offset, String message) {
        return new DockerfileException(file, line, column + offset, message);
    }
}
