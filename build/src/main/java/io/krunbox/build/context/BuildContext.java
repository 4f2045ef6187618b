package io.krunbox.build.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a build may copy: a directory less what {@code .dockerignore} leaves out. A source
 * is resolved inside it and never follows a link (links are copied as links), so nothing
 * outside the context can be read; a source that names a path outside is refused.
 */
public final class BuildContext {
    private final Path root;
    private final DockerIgnore ignore;

    /** A file of the context as COPY takes it: its path in the context and on disk. */
    public record Source(String rel, Path path) {}

    public BuildContext(Path root, DockerIgnore ignore) {
        this.root = io.krunbox.runtime.base.Invocation.current().resolve(root).normalize();
        this.ignore = ignore;
    }

    /** The context at {@code root}, with its {@code .dockerignore} (or {@code DOCKERFILE.dockerignore} beside the Dockerfile). */
    public static BuildContext open(Path root, Path dockerfile) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("build context " + root + " is not a directory: give the directory to build");
        }
        Path own = dockerfile == null ? null : dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
        Path file = own != null && Files.isRegularFile(own) ? own : root.resolve(".dockerignore");
        DockerIgnore ignore = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                ? DockerIgnore.parse(Files.readString(file)) : DockerIgnore.none();
        return new BuildContext(root, ignore);
    }

    public Path root() {
        return root;
    }

    /**
     * What {@code src} names: a file, a directory's files (its path kept relative to it) or the
     * matches of a glob. Throws with what to do when it names nothing or leaves the context.
     */
    public List<Source> resolve(String src) throws IOException {
        String clean = DockerIgnore.clean(src);
        if (escapes(src)) {
            throw new IllegalArgumentException("\"" + src + "\" is outside the build context " + root
                    + ": copy only what is inside it");
        }
        List<Source> out = new ArrayList<>();
        if (clean.matches(".*[*?\\[].*")) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + clean);
            for (Source s : walk(root, "")) {
                if (m.matches(Path.of(s.rel()))) {
                    out.add(s);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no file of the build context matches \"" + src + "\"");
            }
            return out;
        }
        Path p = clean.isEmpty() ? root : root.resolve(clean);
        throughLink(src, clean);
        if (!clean.isEmpty() && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("\"" + src + "\" is not in the build context " + root);
        }
        if (!clean.isEmpty() && ignore.excludes(clean)) {
            throw new IllegalArgumentException("\"" + src + "\" is excluded by .dockerignore: remove the pattern"
                    + " that excludes it, or copy something else");
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            out.add(new Source("", p));
            out.addAll(walk(p, clean));
            return out;
        }
        out.add(new Source(p.getFileName().toString(), p));
        return out;
    }

    /** A source whose directories go through a link would leave the context: refused (the last part may be a link: it is copied as one). */
    private void throughLink(String src, String clean) {
        if (clean.isEmpty()) {
            return;
        }
        String[] parts = clean.split("/");
        Path at = root;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.resolve(parts[i]);
            if (Files.isSymbolicLink(at)) {
                throw new IllegalArgumentException("\"" + src + "\" goes through the link " + root.relativize(at)
                        + " of the build context, which could lead out of it: name what it points to instead");
            }
        }
    }

    /**
     * A copy of what {@code src} names (.dockerignore applied, links as links) under {@code into}:
     * what RUN --mount=type=bind shows the box, so that it sees neither excluded files nor the
     * context itself (its writes land in the copy and go with it).
     */
    public Path stage(String src, Path into) throws IOException {
        List<Source> found = resolve(src);
        Files.createDirectories(into);
        boolean single = found.size() == 1 && !Files.isDirectory(found.get(0).path(), LinkOption.NOFOLLOW_LINKS);
        for (Source s : found) {
            if (s.rel().isEmpty()) {
                continue;
            }
            Path to = single ? into.resolve(s.path().getFileName().toString()) : into.resolve(s.rel());
            Files.createDirectories(to.getParent());
            if (Files.isSymbolicLink(s.path())) {
                Files.createSymbolicLink(to, Files.readSymbolicLink(s.path()));
            } else if (Files.isDirectory(s.path(), LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(to);
            } else if (Files.isRegularFile(s.path(), LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(s.path(), to, LinkOption.NOFOLLOW_LINKS, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return single ? into.resolve(found.get(0).path().getFileName().toString()) : into;
    }

    /** Every path under {@code dir} that .dockerignore keeps, parents first; rel is relative to dir. */
    private List<Source> walk(Path dir, String prefix) throws IOException {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted().toList()) {
                if (p.equals(dir)) {
                    continue;
                }
                String inDir = dir.relativize(p).toString();
                String inContext = prefix.isEmpty() ? inDir : prefix + "/" + inDir;
                if (ignore.excludes(inContext)) {
                    continue;
                }
                out.add(new Source(inDir, p));
            }
        }
        return out;
    }

    private static boolean escapes(String src) {
        int depth = 0;
        for (String part : src.replace('\\', '/').split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    /** A digest of what the sources are (names, types, modes and contents): the cache key of a COPY. */
    public static String digest(List<Source> sources) throws IOException {
        MessageDigest md = sha256();
        for (Source s : sources) {
            md.update((s.rel() + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (Files.isSymbolicLink(s.path())) {
                md.update(("l" + Files.readSymbolicLink(s.path()) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (Files.isDirectory(s.path(), LinkOption.NOFOLLOW_LINKS)) {
                md.update(("d" + mode(s.path()) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (!Files.isRegularFile(s.path(), LinkOption.NOFOLLOW_LINKS)) {
                // a fifo or a device is never opened: its type and number are what it is
                md.update(("o" + mode(s.path()) + " " + Files.getAttribute(s.path(), "unix:rdev", LinkOption.NOFOLLOW_LINKS)
                        + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                md.update(("f" + mode(s.path()) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(s.path(), LinkOption.NOFOLLOW_LINKS)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
