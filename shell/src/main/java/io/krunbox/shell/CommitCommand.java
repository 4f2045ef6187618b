package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.build.exec.BoxCommit;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.runtime.image.ImageResolver;
import io.krunbox.runtime.state.BoxStore.BoxRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code krunbox commit BOX [IMAGE]}: a box's changes as a new image. */
@Command(name = "commit", mixinStandardHelpOptions = true, description = "Make an image of a box's changes (running or stopped).")
public final class CommitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BOX")
    String box;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE[:TAG]")
    String image;

    @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION", description = "A Dockerfile instruction for the config (CMD, ENV, ...; repeatable).")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "MESSAGE", description = "The commit message (in the image's history).")
    String message;

    @Option(names = {"-a", "--author"}, paramLabel = "AUTHOR", description = "The image's author.")
    String author;

    @Option(names = {"-p", "--pause"}, negatable = true, description = "Accepted for Docker's sake: a running box is always frozen while it is read.")
    boolean pause = true;

    @Override
    public Integer call() throws Exception {
        KrunboxHome home = KrunboxHome.fromEnvironment();
        List<ImageReference> tags = image == null ? List.of() : List.of(ImageReference.parse(image));
        try (BoxCommands c = new BoxCommands()) {
            BoxRecord b = c.boxes.get(box);
            c.lowerDirs(b); // in the layer cache, for a copied root to be compared with
            ImageStore.Record r = c.boxes.withFrozenRootfs(b, root -> new BoxCommit(home, c.images, ImageResolver.fromEnvironment())
                    .commit(b, root, changes, message, author, tags, Invocation.current().err()));
            Invocation.current().out().println(r.id());
        }
        return 0;
    }
}
