package io.krunbox.build.dockerfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed Dockerfile as stages: the ARGs before the first FROM (the only instructions allowed
 * there), then each FROM with what follows it, named by {@code AS name} or by its index.
 */
public record Stages(DockerfileParser.Parsed parsed, List<Instruction> globalArgs, List<Stage> stages) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]*");

    /** One stage: its index, its name (or null), its base as written, its platform flag, and its instructions. */
    public record Stage(int index, String name, Instruction from, String base, String platform, List<Instruction> body) {
        /** How {@code --target} and {@code COPY --from} may name it. */
        public boolean isNamed(String ref) {
            return ref.equalsIgnoreCase(name == null ? "" : name) || ref.equals(Integer.toString(index));
        }
    }

    public static Stages of(DockerfileParser.Parsed p) {
        List<Instruction> global = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Instruction from = null;
        String name = null;
        String base = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction in : p.instructions()) {
            if (in.keyword().equals("FROM")) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), name, from, base, from.flag("platform").orElse(null), body));
                }
                for (Flag f : in.flags()) {
                    if (!f.name().equals("platform")) {
                        throw new DockerfileException(p.file(), in.line(), in.column(), "FROM has no flag --" + f.name()
                                + ": only --platform");
                    }
                }
                // FROM image [AS name]: the words are split here; substitution happens at build time
                String[] words = in.args().trim().split("\\s+");
                if (in.args().isBlank()) {
                    throw new DockerfileException(p.file(), in.line(), in.column(), "FROM needs an image: FROM IMAGE [AS NAME]");
                }
                if (words.length == 3 && words[1].equalsIgnoreCase("AS")) {
                    name = words[2].toLowerCase(Locale.ROOT);
                    if (!NAME.matcher(name).matches()) {
                        throw new DockerfileException(p.file(), in.line(), in.column(), "stage name \"" + words[2]
                                + "\" is not valid: start with a letter, then letters, digits, '.', '_' or '-'");
                    }
                    Integer before = names.put(name, stages.size());
                    if (before != null) {
                        throw new DockerfileException(p.file(), in.line(), in.column(), "stage name \"" + name
                                + "\" is already the name of stage " + before + ": give each stage its own name");
                    }
                } else if (words.length != 1) {
                    throw new DockerfileException(p.file(), in.line(), in.column(),
                            "FROM takes an image and an optional AS NAME, got \"" + in.args().trim() + "\"");
                } else {
                    name = null;
                }
                base = words[0];
                from = in;
                body = new ArrayList<>();
            } else if (from == null) {
                if (!in.keyword().equals("ARG")) {
                    throw new DockerfileException(p.file(), in.line(), in.column(), in.keyword()
                            + " comes before the first FROM: only ARG may; start the stage with FROM IMAGE");
                }
                global.add(in);
            } else {
                body.add(in);
            }
        }
        if (from == null) {
            throw new DockerfileException(p.file(), Math.max(1, p.instructions().isEmpty() ? 1
                    : p.instructions().get(p.instructions().size() - 1).line()), 1,
                    "the Dockerfile has no FROM: begin a stage with FROM IMAGE (or FROM scratch)");
        }
        stages.add(new Stage(stages.size(), name, from, base, from.flag("platform").orElse(null), body));
        return new Stages(p, List.copyOf(global), List.copyOf(stages));
    }

    /** The stage {@code ref} names (its name or index), or null. */
    public Stage find(String ref) {
        for (Stage s : stages) {
            if (s.isNamed(ref)) {
                return s;
            }
        }
        return null;
    }
}
