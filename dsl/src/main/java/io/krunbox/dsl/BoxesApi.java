package io.krunbox.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import io.krunbox.runtime.BoxRunner;
import io.krunbox.runtime.Boxes;
import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.model.BoxSpec;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code boxes} in scripts and the shell: the same runtime objects the CLI uses, opened on
 * first use and kept (the warm JVM is the point).
 * <pre>
 * def b = boxes.run('demo') { command 'sh', '-c', 'sleep 600'; name 'tmp' }
 * def r = b.exec('uname', '-a'); b.stop(); b.remove()
 * </pre>
 */
public final class BoxesApi implements AutoCloseable {
    private Krunbox krunbox;
    private BoxRunner runner;

    /** The runtime these handles use: the home of the environment, opened on first use. */
    public synchronized Krunbox krunbox() {
        if (krunbox == null) {
            krunbox = Krunbox.open(io.krunbox.runtime.base.KrunboxHome.fromEnvironment().create());
            runner = krunbox.runner();
        }
        return krunbox;
    }

    Boxes boxes() {
        return krunbox().boxes();
    }

    synchronized BoxRunner runner() {
        krunbox();
        return runner;
    }

    /** Starts a detached box from {@code image}, configured by the block. */
    public BoxHandle run(String image, @DelegatesTo(value = RunDsl.class, strategy = Closure.DELEGATE_ONLY) Closure<?> block) {
        RunDsl r = Blocks.apply(new RunDsl(image), block);
        return start(r.build());
    }

    public BoxHandle run(String image, Consumer<RunDsl> block) {
        return start(Blocks.apply(new RunDsl(image), block).build());
    }

    public BoxHandle run(String image) {
        return start(new RunDsl(image).build());
    }

    private BoxHandle start(BoxSpec spec) {
        String id = runner().runDetached(spec);
        return new BoxHandle(this, id);
    }

    /** A box by name or id. */
    public BoxHandle get(String nameOrId) {
        return new BoxHandle(this, boxes().get(nameOrId).id());
    }

    public List<BoxHandle> list() {
        return boxes().list(false).stream().map(b -> new BoxHandle(this, b.id())).toList();
    }

    @Override
    public synchronized void close() {
        if (krunbox != null) {
            krunbox.close();
        }
    }

    /** A box's options in a {@code run} block: a few of {@code krunbox run}'s flags. */
    public static final class RunDsl extends DslBlock {
        private final BoxSpec.Builder b;

        RunDsl(String image) {
            b = BoxSpec.builder(image);
        }

        public RunDsl name(String v) {
            b.name(v);
            return this;
        }

        public RunDsl command(String... argv) {
            b.command(argv);
            return this;
        }

        public RunDsl env(java.util.Map<String, ?> vars) {
            vars.forEach((k, v) -> b.env(k + "=" + v));
            return this;
        }

        public RunDsl network(String n) {
            b.network(n);
            return this;
        }

        public RunDsl volume(String source, String target) {
            b.mount(io.krunbox.runtime.model.MountSpec.parseVolume(source + ":" + target));
            return this;
        }

        public RunDsl ports(String... specs) {
            for (String s : specs) {
                b.ports(io.krunbox.runtime.model.PortMapping.parse(s));
            }
            return this;
        }

        public RunDsl isolation(String v) {
            b.isolation(io.krunbox.runtime.model.Isolation.parse(v));
            return this;
        }

        BoxSpec build() {
            return b.build();
        }
    }
}
