package io.krunbox.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a script sees at its top level: {@code topology(...)}, {@code args}, {@code println}. */
public class ScriptApi {
    private final Path script;
    private final List<String> args;
    final List<TopologyDsl> topologies = new ArrayList<>();

    public ScriptApi(Path script, List<String> args) {
        this.script = script;
        this.args = List.copyOf(args);
    }

    public List<String> getArgs() {
        return args;
    }

    public TopologyDsl topology(String name, @DelegatesTo(value = TopologyDsl.class, strategy = Closure.DELEGATE_ONLY)
                                Closure<?> block) {
        TopologyDsl t = Blocks.apply(new TopologyDsl(name, script), block);
        topologies.add(t);
        return t;
    }

    public void println(Object o) {
        System.out.println(o);
    }
}
