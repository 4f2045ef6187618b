package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.rootfs.BoxSnapshots;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox snapshot create|ls|inspect|rm|restore}: a box's changes kept, and brought back in a new box. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Keep a box's changes, and make a box from them again.",
        subcommands = {SnapshotCommand.Create.class, SnapshotCommand.Ls.class, SnapshotCommand.Inspect.class,
                SnapshotCommand.Rm.class, SnapshotCommand.Restore.class})
public final class SnapshotCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "give a subcommand: create, ls, inspect, rm or restore");
    }

    static Map<String, Path> namedVolumes(BoxCommands c, BoxSpec spec) {
        Map<String, Path> out = new LinkedHashMap<>();
        if (spec != null) {
            for (MountSpec m : spec.mounts()) {
                if (m.type() == MountSpec.Type.VOLUME && m.source() != null) {
                    out.put(m.source(), c.boxes.wiring().volumes().path(m.source()));
                }
            }
        }
        return out;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Snapshot a box (running or stopped).")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "BOX") String box;
        @Parameters(index = "1", paramLabel = "NAME") String name;
        @Option(names = "--volumes", description = "Keep the box's named volumes too.") boolean volumes;

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                BoxRecord b = c.boxes.get(box);
                BoxSnapshots s = new BoxSnapshots(KrunboxHome.fromEnvironment());
                c.boxes.withFrozenRootfs(b, root -> s.create(b, root, name, volumes, namedVolumes(c, b.spec())));
                Invocation.current().out().println(name);
            }
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the snapshots.")
    static final class Ls implements Callable<Integer> {
        @Option(names = "--format", paramLabel = "json") String format;
        @Option(names = {"-q", "--quiet"}) boolean quiet;

        @Override
        public Integer call() throws Exception {
            List<BoxSnapshots.Snapshot> all = new BoxSnapshots(KrunboxHome.fromEnvironment()).list();
            if ("json".equals(format)) {
                Invocation.current().out().println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(all));
                return 0;
            }
            if (quiet) {
                all.forEach(s -> Invocation.current().out().println(s.name()));
                return 0;
            }
            Table t = new Table("NAME", "BOX", "IMAGE", "CREATED", "SIZE", "VOLUMES");
            for (BoxSnapshots.Snapshot s : all) {
                t.row(s.name(), s.box(), s.image(), Ages.ago(s.created()), PullProgress.size(s.bytes()), String.join(",", s.volumes()));
            }
            t.print(new java.io.PrintWriter(Invocation.current().out(), true));
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show what a snapshot holds, as JSON.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "1..*") List<String> names = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            BoxSnapshots s = new BoxSnapshots(KrunboxHome.fromEnvironment());
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var arr = json.createArrayNode();
            for (String n : names) {
                arr.add(s.meta(n));
            }
            Invocation.current().out().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove snapshots.")
    static final class Rm implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "1..*") List<String> names = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            BoxSnapshots s = new BoxSnapshots(KrunboxHome.fromEnvironment());
            for (String n : names) {
                s.remove(n);
                Invocation.current().out().println(n);
            }
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = {"Make a box from a snapshot: its image and",
            "spec, its root as the snapshot kept it (created; start it with krunbox start)."})
    static final class Restore implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--name", paramLabel = "BOX", description = "The new box's name (default: a new one).") String box;
        @Option(names = "--volumes", description = "Put the snapshot's volume contents back into the named volumes.") boolean volumes;

        @Override
        public Integer call() throws Exception {
            BoxSnapshots s = new BoxSnapshots(KrunboxHome.fromEnvironment());
            var meta = s.meta(name);
            BoxSpec spec = io.krunbox.runtime.state.BoxSpecJson.read(meta.path("spec").asText());
            spec = spec.toBuilder().name(box).build();
            String id;
            try (BoxCommands c = new BoxCommands()) {
                String imageId = meta.path("imageId").asText(null);
                if (imageId != null && c.images.find(imageId).isPresent()) {
                    spec = spec.toBuilder().image(imageId).build(); // exactly the image the box was made of
                }
                id = c.krunbox.runner(Invocation.current().err()).create(spec);
                BoxRecord b = c.boxes.get(id);
                Map<String, Path> restored = volumes ? namedVolumes(c, b.spec()) : Map.of();
                if (volumes) {
                    // a volume a running box holds could be changed under the restore: refused
                    for (BoxRecord other : c.boxes.list(false)) {
                        for (String v : namedVolumes(c, other.spec()).keySet()) {
                            if (restored.containsKey(v)) {
                                c.boxes.remove(b, true);
                                throw new io.krunbox.runtime.base.BoxException("volume " + v + " is in use by running box "
                                        + other.name() + ": stop it before restoring --volumes");
                            }
                        }
                    }
                }
                s.restoreInto(name, c.boxes.dir(b), restored);
            }
            Invocation.current().out().println(id);
            return 0;
        }
    }
}
