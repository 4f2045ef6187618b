package io.krunbox.build.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.krunbox.build.dockerfile.DockerfileParser;
import io.krunbox.build.dockerfile.Instruction;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.ImageResolver;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.rootfs.BoxChanges;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code krunbox commit}: a box's changes as a layer on its image's, with the config changes
 * {@code -c} gives (Dockerfile instructions that only touch the config). The changes are read
 * from the box's upper directory (overlay) or by comparing its root with the image's layers (a
 * copied root), through the same resolution as diff and export; links are stored as links.
 */
public final class BoxCommit {
    private static final Set<String> CHANGES = Set.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "STOPSIGNAL",
            "USER", "VOLUME", "WORKDIR", "HEALTHCHECK", "SHELL", "MAINTAINER");
    private final KrunboxHome home;
    private final Images images;
    private final ImageResolver resolver;

    public BoxCommit(KrunboxHome home, Images images, ImageResolver resolver) {
        this.home = home;
        this.images = images;
        this.resolver = resolver;
    }

    /** Commits {@code box} (whose root is {@code root}, mounted for the time of the call) as an image. */
    public ImageStore.Record commit(BoxRecord box, Path root, List<String> changes, String message, String author,
                                    List<ImageReference> tags, PrintStream out) throws IOException {
        ImageAssembler assembler = new ImageAssembler(images);
        ObjectNode doc;
        Image image;
        var held = box.imageId() == null ? java.util.Optional.<ImageStore.Record>empty() : images.find(box.imageId());
        if (held.isPresent()) {
            image = images.image(held.get(), box.image());
            doc = assembler.configOf(held.get());
        } else {
            image = resolver.resolve(box.image(), images, null);
            doc = ImageAssembler.configOf(image.config());
        }
        doc.remove("rootfs");
        String now = Instant.now().toString();
        doc.put("created", now); // what -c changes is dated now
        StageState state = new StageState(doc, "commit");
        for (Image.Layer l : image.layers()) {
            state.layers.add(assembler.adopt(l, box.image()));
        }
        Path boxDir = home.box(box.id());
        Path scratch = Files.createDirectories(home.root().resolve("tmp")).resolve("commit-" + Long.toHexString(System.nanoTime()));
        Files.createDirectories(scratch);
        try {
            Path tmp = Files.createTempFile(scratch, "layer-", ".tar.gz");
            try (LayerTar tar = new LayerTar(tmp, null)) {
                Path upper = boxDir.resolve("upper");
                if (Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS)) {
                    tar.addUpper(upper, RunStep.opaque(upper), BoxChanges.KRUNBOX_OWN);
                } else {
                    for (BoxChanges.Change c : BoxChanges.of(boxDir, box.lowerDirs(home))) {
                        String rel = c.path().substring(1);
                        if (c.kind() == 'D') {
                            tar.addWhiteout(rel, Instant.now());
                        } else {
                            tar.add(rel, root.resolve(rel), LayerTar.Attrs.KEEP);
                        }
                    }
                }
                ImageAssembler.Layer made = assembler.add(tar.finish(), "commit " + box.name());
                state.layers.add(made);
            }
            // -c: config changes, as the Dockerfile instructions they are
            ImageBuilder builder = new ImageBuilder(home, images, resolver, () -> null, null);
            BuildRequest req = new BuildRequest("-c", "", null, List.of(), Map.of(), null, true, false, null, Map.of(), Map.of(),
                    "none", "quiet", null, out);
            for (String change : changes) {
                DockerfileParser.Parsed p = DockerfileParser.parse("-c", change);
                for (Instruction in : p.instructions()) {
                    if (!CHANGES.contains(in.keyword())) {
                        throw new BuildException("-c " + change + ": commit takes " + String.join(", ", new java.util.TreeSet<>(CHANGES))
                                + ", not " + in.keyword(), 125);
                    }
                    builder.apply(in, state, new ImageBuilder.StepContext(req, p, null, Map.of(), null, scratch, null,
                            Map.of(), new ImageBuilder.Counter()));
                }
            }
            state.history("krunbox commit " + box.name() + (message == null ? "" : ": " + message), false, now);
            if (message != null) {
                ((ObjectNode) doc.get("history").get(doc.get("history").size() - 1)).put("comment", message);
            }
            if (author != null) {
                doc.put("author", author);
            }
            doc.put("created", now);
            return assembler.write(doc, state.layers, tags);
        } finally {
            io.krunbox.oci.layer.LayerUnpacker.deleteTree(scratch);
        }
    }
}
