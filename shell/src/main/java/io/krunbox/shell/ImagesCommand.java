package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.image.Images;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox images}: the images krunbox holds, a row per tag. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "List images.")
public final class ImagesCommand implements Callable<Integer> {
    @Option(names = {"-q", "--quiet"}, description = "Print only image ids.")
    boolean quiet;

    @Option(names = "--digests", description = "Show digests.")
    boolean digests;

    @Option(names = "--format", paramLabel = "table|json", description = "Output format (default: table).")
    String format = "table";

    @Parameters(arity = "0..1", paramLabel = "REPOSITORY", description = "Only images of this repository.")
    String repository;

    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            List<ImageStore.Record> all = images.store().list();
            if (repository != null) {
                String want = ImageReference.parse(repository).familiarName();
                all = all.stream().filter(r -> r.tags().stream()
                        .anyMatch(t -> ImageReference.parse(t).familiarName().equals(want))).toList();
            }
            if (format.equals("json")) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ImageStore.Record r : all) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("Id", r.id().toString());
                    m.put("RepoTags", r.tags().stream().map(t -> ImageReference.parse(t).familiarTagged()).toList());
                    m.put("RepoDigests", r.repoDigest() == null ? List.of() : List.of(r.repoDigest()));
                    m.put("Created", r.created());
                    m.put("Size", r.size());
                    m.put("Platform", r.platform());
                    rows.add(m);
                }
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
                out.flush();
                return 0;
            }
            if (!format.equals("table")) {
                throw new IllegalArgumentException("--format " + format + " is not table or json");
            }
            if (quiet) {
                all.stream().map(ImageStore.Record::shortId).distinct().forEach(out::println);
                out.flush();
                return 0;
            }
            Table t = digests ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                    : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
            for (ImageStore.Record r : all) {
                List<String> tags = r.tags().isEmpty() ? List.of("") : r.tags();
                for (String tag : tags) {
                    String repo = "<none>", name = "<none>";
                    if (!tag.isEmpty()) {
                        ImageReference ref = ImageReference.parse(tag);
                        repo = ref.familiarName();
                        name = ref.tag();
                    }
                    String digest = r.repoDigest() == null ? "<none>" : r.repoDigest().substring(r.repoDigest().indexOf('@') + 1);
                    String size = PullProgress.size(r.size());
                    if (digests) {
                        t.row(repo, name, digest, r.shortId(), Ages.ago(r.created()), size);
                    } else {
                        t.row(repo, name, r.shortId(), Ages.ago(r.created()), size);
                    }
                }
            }
            t.print(out);
        }
        return 0;
    }
}
