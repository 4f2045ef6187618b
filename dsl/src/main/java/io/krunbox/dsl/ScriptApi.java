package io.krunbox.dsl;

import io.krunbox.runtime.base.Invocation;
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

    private final BoxesApi boxes = new BoxesApi();

    /** {@code boxes.run('demo') { ... }}, {@code boxes.get('web')}: the runtime, as the CLI uses it. */
    public BoxesApi getBoxes() {
        return boxes;
    }

    public TopologyDsl topology(String name, @DelegatesTo(value = TopologyDsl.class, strategy = Closure.DELEGATE_ONLY)
                                Closure<?> block) {
        TopologyDsl t = new TopologyDsl(name, script).runtime(boxes);
        open.push(t);
        try {
            Blocks.apply(t, block);
        } finally {
            open.pop();
        }
        topologies.add(t);
        return t;
    }

    private final java.util.ArrayDeque<TopologyDsl> open = new java.util.ArrayDeque<>();

    /** The topology whose block is running: a script function that adds boxes adds them there. */
    private TopologyDsl current(String word) {
        if (open.isEmpty()) {
            throw new groovy.lang.MissingMethodException(word, ScriptApi.class, new Object[0]);
        }
        return open.peek();
    }

    public TopologyDsl box(String name, @DelegatesTo(value = BoxDsl.class, strategy = Closure.DELEGATE_ONLY)
                           Closure<?> block) {
        return current("box").box(name, block);
    }

    public TopologyDsl network(String name, @DelegatesTo(value = NetworkDsl.class, strategy = Closure.DELEGATE_ONLY)
                               Closure<?> block) {
        return current("network").network(name, block);
    }

    public TopologyDsl volume(String name) {
        return current("volume").volume(name);
    }

    /** {@code load('shop.groovy')}: the (first) topology another script defines, relative to this one. */
    public TopologyDsl load(String file) {
        Path other = io.krunbox.runtime.base.Invocation.current().resolve(script).getParent().resolve(file);
        List<TopologyDsl> ts = DslRunner.run(other, List.of());
        if (ts.isEmpty()) {
            throw new IllegalArgumentException(file + " defines no topology");
        }
        return ts.get(0).runtime(boxes);
    }

    public void println(Object o) {
        Invocation.current().out().println(o);
    }

    /** What a script's println, print and printf write to (Groovy asks for {@code out}): the caller's stdout. */
    public java.io.PrintStream getOut() {
        return Invocation.current().out();
    }
}
