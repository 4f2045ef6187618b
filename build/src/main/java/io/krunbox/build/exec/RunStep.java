package io.krunbox.build.exec;

import io.krunbox.build.dockerfile.Heredoc;
import io.krunbox.build.dockerfile.Instruction;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.model.BoxSpec;
import io.krunbox.runtime.model.Isolation;
import io.krunbox.runtime.model.MountSpec;
import io.krunbox.runtime.model.NetworkAttachment;
import io.krunbox.runtime.state.BoxStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A RUN: the command in a box made from the stage's layers (the same isolation as every box),
 * with the stage's env, ARGs, workdir, user and shell, its {@code --mount}s; what it changed
 * (the overlay's upper directory, whiteouts included) becomes the stage's next layer. A cached
 * step runs nothing. The box goes when the step is over, whatever its end.
 */
final class RunStep {
    static final String CACHE_MOUNTS = "build-cache-mounts";

    private final ImageBuilder builder;
    private final ImageBuilder.StepContext ctx;
    private final StageState state;
    private final Instruction in;

    RunStep(ImageBuilder builder, ImageBuilder.StepContext ctx, StageState state, Instruction in) {
        this.builder = builder;
        this.ctx = ctx;
        this.state = state;
        this.in = in;
    }

    void run() throws IOException {
        List<String> argv = argv();
        Set<String> mountTargets = new HashSet<>();
        String network = in.flag("network").orElse(ctx.req().network());
        for (String m : in.flagValues("mount")) {
            mount(m, mountTargets, false); // checked even when the step is cached
        }
        String key = ImageBuilder.sha(state.cacheKey + "\nRUN " + argv + "\nenv " + state.runEnv() + "\nuser "
                + state.user() + "\nworkdir " + state.workdir() + "\nmounts " + in.flagValues("mount") + "\nnetwork " + network);
        if (builder.reuse(key, state, ctx)) {
            return;
        }
        List<MountSpec> mounts = new ArrayList<>();
        for (String m : in.flagValues("mount")) {
            mounts.add(mount(m, mountTargets, true));
        }
        ImageStore.Record base = builder.assembler.write(state.doc.deepCopy(), state.layers, List.of());
        String name = "krunbox-build-" + Long.toHexString(System.nanoTime());
        BoxSpec.Builder spec = BoxSpec.builder(base.id().toString()).name(name).entrypoint(argv).command(List.of())
                .env(state.runEnv()).workdir(state.workdir()).label("io.krunbox.build", "run");
        if (!state.user().isEmpty()) {
            spec.user(state.user());
        }
        if (network.equals("none")) {
            spec.network(NetworkAttachment.NONE);
        } else if (!network.equals("default")) {
            throw ImageBuilder.err(ctx.parsed(), in, "RUN --network=" + network + " is not supported: use none or default");
        }
        mounts.forEach(spec::mount);
        if (ctx.req().isolation() != null) {
            spec.isolation(Isolation.parse(ctx.req().isolation()));
        }
        int code;
        java.io.OutputStream out = ctx.req().quiet() ? java.io.OutputStream.nullOutputStream() : ctx.req().out();
        try {
            code = builder.runner().run(spec.build(), new BoxOutput(out, out));
        } catch (RuntimeException e) {
            remove(name);
            forget(base);
            throw new BuildException(where() + " could not run: " + e.getMessage(), e);
        }
        ctx.counter().ran.incrementAndGet();
        try {
            if (code != 0) {
                throw new BuildException(where() + " failed: \"" + String.join(" ", argv) + "\" exited with " + code, code);
            }
            BoxStore.BoxRecord box = builder.boxes.get(name);
            Path upper = builder.home().box(box.id()).resolve("upper");
            if (!Files.isDirectory(upper)) {
                throw new BuildException(where() + ": the box's changes are not in an overlay upper directory (builds need"
                        + " overlayfs)", 1);
            }
            // what krunbox itself writes into a box's root, and the mount points, are not the workload's change
            Set<String> skip = new HashSet<>(io.krunbox.runtime.rootfs.BoxChanges.KRUNBOX_OWN);
            mountTargets.forEach(t -> skip.add(t.replaceFirst("^/+", "")));
            Path tmp = Files.createTempFile(ctx.scratch(), "layer-", ".tar.gz");
            try (LayerTar tar = new LayerTar(tmp, LayerTar.clampFrom(ctx.req().buildArgs().get("SOURCE_DATE_EPOCH")))) {
                tar.addUpper(upper, opaque(upper), skip);
                ImageAssembler.Layer made = builder.assembler.add(tar.finish(), "RUN");
                ImageAssembler.Layer layer = new ImageAssembler.Layer(made.blob(), made.diffId(), java.time.Instant.now().toString());
                builder.remember(key, layer);
                state.layers.add(layer);
                state.cacheKey = key;
            }
        } finally {
            remove(name);
            forget(base);
        }
    }

    private String where() {
        return ctx.parsed().file() + ":" + in.line() + ": RUN";
    }

    /** The command: the exec form as written, else the shell with the line (and its here-documents). */
    private List<String> argv() {
        if (in.execForm()) {
            return in.json();
        }
        String text = in.args();
        if (!in.heredocs().isEmpty()) {
            String rest = text.replaceAll("<<-?([\"']?)[A-Za-z_][A-Za-z0-9_]*\\1", "").trim();
            if (rest.isEmpty() && in.heredocs().size() == 1) {
                return ImageBuilder.withShell(state.shell, in.heredocs().get(0).body()); // the here-document is the script
            }
            // the shell reads the here-documents itself, as it would in a script
            StringBuilder script = new StringBuilder(text).append('\n');
            for (Heredoc h : in.heredocs()) {
                script.append(h.body()).append(h.name()).append('\n');
            }
            return ImageBuilder.withShell(state.shell, script.toString());
        }
        return ImageBuilder.withShell(state.shell, text.trim());
    }

    /**
     * One --mount=type=...,target=...: a cache directory kept between builds, a bind, a tmpfs or a
     * secret. Without {@code make} it is only checked (a bind's copy is made for a step that runs).
     */
    private MountSpec mount(String spec, Set<String> targets, boolean make) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            int eq = kv.indexOf('=');
            o.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "true" : kv.substring(eq + 1));
        }
        String type = o.getOrDefault("type", "bind");
        String target = o.getOrDefault("target", o.getOrDefault("dst", o.get("destination")));
        if (type.equals("secret") && target == null) {
            target = "/run/secrets/" + o.getOrDefault("id", "");
        }
        if (target == null || !target.startsWith("/")) {
            throw ImageBuilder.err(ctx.parsed(), in, "--mount=" + spec + " needs an absolute target=PATH");
        }
        targets.add(target);
        boolean readOnly = o.containsKey("ro") || o.containsKey("readonly") || "false".equals(o.get("rw"));
        switch (type) {
            case "cache" -> {
                String id = o.getOrDefault("id", target);
                Path dir = Files.createDirectories(builder.home().root().resolve(CACHE_MOUNTS)
                        .resolve(ImageBuilder.sha(id).substring(0, 32)));
                if (o.containsKey("uid") || o.containsKey("gid") || o.containsKey("mode")) {
                    set(dir, o);
                }
                return new MountSpec(MountSpec.Type.BIND, dir.toString(), target, readOnly, "");
            }
            case "tmpfs" -> {
                return new MountSpec(MountSpec.Type.TMPFS, null, target, false, "");
            }
            case "secret" -> {
                String id = o.get("id");
                Path src = id == null ? null : ctx.req().secrets().get(id);
                if (src == null) {
                    throw ImageBuilder.err(ctx.parsed(), in, "secret \"" + id + "\" is not given: pass --secret id=" + id
                            + ",src=PATH");
                }
                return new MountSpec(MountSpec.Type.BIND, io.krunbox.runtime.base.Invocation.current().resolve(src).toString(), target, true, "");
            }
            case "bind" -> {
                if (o.containsKey("from")) {
                    throw ImageBuilder.err(ctx.parsed(), in, "--mount=type=bind,from= is not supported yet: COPY --from"
                            + " the stage instead");
                }
                if (ctx.context() == null) {
                    throw ImageBuilder.err(ctx.parsed(), in, "--mount=type=bind needs a build context");
                }
                // a copy of what it names: the box never sees the context itself, nor what .dockerignore leaves out
                if (!make) {
                    ctx.context().resolve(o.getOrDefault("source", "."));
                    return null;
                }
                Path staged = ctx.context().stage(o.getOrDefault("source", "."),
                        Files.createTempDirectory(ctx.scratch(), "bind-").resolve("src"));
                return new MountSpec(MountSpec.Type.BIND, staged.toString(), target, !"true".equals(o.get("rw")), "");
            }
            default -> throw ImageBuilder.err(ctx.parsed(), in, "--mount type " + type
                    + " is not one of cache, bind, tmpfs, secret");
        }
    }

    private static void set(Path dir, Map<String, String> o) throws IOException {
        if (o.containsKey("mode")) {
            // the permission bits only: no set-id or sticky bits on a host directory
            Files.setAttribute(dir, "unix:mode", Integer.parseInt(o.get("mode"), 8) & 0777);
        }
        if (o.containsKey("uid")) {
            Files.setAttribute(dir, "unix:uid", Integer.parseInt(o.get("uid")));
        }
        if (o.containsKey("gid")) {
            Files.setAttribute(dir, "unix:gid", Integer.parseInt(o.get("gid")));
        }
    }

    /** The directories overlayfs marked opaque in the upper directory (a directory removed and made again). */
    static Set<String> opaque(Path upper) {
        Set<String> out = new HashSet<>();
        HostCommand.Result r = HostCommand.tryRun("getfattr", "-R", "-P", "--absolute-names", "-m", "^trusted\\.overlay\\.opaque$",
                "-d", upper.toString());
        String prefix = "# file: " + upper + "/";
        String current = null;
        for (String line : r.output().split("\n")) {
            if (line.startsWith(prefix)) {
                current = unescape(line.substring(prefix.length()));
            } else if (current != null && line.startsWith("trusted.overlay.opaque=\"y\"")) {
                out.add(current);
            }
        }
        return out;
    }

    /** getfattr writes a name's unusual bytes as \\ooo (octal) and a backslash as \\\\. */
    static String unescape(String name) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] in = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\\' && isOctal(in, i + 1)) {
                out.write(Integer.parseInt(new String(in, i + 1, 3, java.nio.charset.StandardCharsets.US_ASCII), 8));
                i += 3;
            } else if (in[i] == '\\' && i + 1 < in.length && in[i + 1] == '\\') {
                out.write('\\');
                i++;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] b, int at) {
        if (at + 3 > b.length) {
            return false;
        }
        for (int k = at; k < at + 3; k++) {
            if (b[k] < '0' || b[k] > '7') {
                return false;
            }
        }
        return true;
    }

    private void remove(String name) {
        try {
            builder.boxes.store().find(name).ifPresent(b -> {
                try {
                    builder.boxes.remove(b, true);
                } catch (IOException | InterruptedException e) {
                    ImageBuilder.print(ctx.req(), "krunbox: could not remove the build box " + name + ": " + e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            ImageBuilder.print(ctx.req(), "krunbox: could not remove the build box " + name + ": " + e.getMessage());
        }
    }

    private void forget(ImageStore.Record base) {
        // the step's base image was only for its box; its blobs stay (the stage's layers)
        if (base.tags().isEmpty()) {
            builder.images().store().delete(base.id());
        }
    }
}
