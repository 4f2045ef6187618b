package io.krunbox.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One instruction as written: its keyword (upper case), its flags, its arguments (the rest of
 * the line, continuations joined), the exec form's strings when it is written as a JSON array,
 * its here-documents, and where it starts ({@code line}, {@code column}, 1-based).
 */
public record Instruction(String keyword, List<Flag> flags, String args, List<String> json, List<Heredoc> heredocs,
                          int line, int column) {
    public Instruction {
        flags = List.copyOf(flags);
        json = json == null ? null : List.copyOf(json);
        heredocs = List.copyOf(heredocs);
    }

    /** Written as a JSON array (the exec form). */
    public boolean execForm() {
        return json != null;
    }

    /** The value of a flag given once, if given. */
    public Optional<String> flag(String name) {
        return flags.stream().filter(f -> f.name().equals(name)).map(Flag::value).reduce((a, b) -> b);
    }

    /** Every value of a flag that may come several times. */
    public List<String> flagValues(String name) {
        List<String> out = new ArrayList<>();
        flags.stream().filter(f -> f.name().equals(name)).forEach(f -> out.add(f.value()));
        return out;
    }

    /** The parsed form, as the golden files of the front end's tests write it. */
    public String describe() {
        StringBuilder b = new StringBuilder().append(line).append(':').append(column).append(' ').append(keyword);
        flags.forEach(f -> b.append(' ').append(f));
        if (json != null) {
            b.append(" json").append(jsonText(json));
        } else if (!args.isEmpty()) {
            b.append(" [").append(args).append(']');
        }
        for (Heredoc h : heredocs) {
            b.append(" <<").append(h.stripTabs() ? "-" : "").append(h.expand() ? "" : "'").append(h.name())
                    .append(h.expand() ? "" : "'").append('{').append(h.body().replace("\n", "\\n")).append('}');
        }
        return b.toString();
    }

    static String jsonText(List<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            b.append(i == 0 ? "" : ", ").append('"').append(items.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append(']').toString();
    }
}
