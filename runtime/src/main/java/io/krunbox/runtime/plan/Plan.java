package io.krunbox.runtime.plan;

import java.nio.file.Path;
import java.util.List;

/** An ordered list of steps with a title, e.g. {@code plan: box gentle-otter (vm)}. */
public record Plan(String title, List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
    }

    /** The printed form; paths under {@code home} are shown relative to it. */
    public String render(Path home) {
        StringBuilder out = new StringBuilder("plan: ").append(title).append('\n');
        int n = 1;
        for (Step s : steps) {
            out.append(String.format("%4d %s%n", n++, line(s, home)));
        }
        return out.toString();
    }

    /** One step as the plan prints it, without its number: its kind, then what it does. */
    public static String line(Step s, Path home) {
        return String.format("%-8s %s", s.kind(), s.text().replace(home.toString() + "/", ""));
    }
}
