package io.krunbox.runtime.base;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The on-disk home ({@code KRUNBOX_HOME}, default {@code ~/.krunbox}): layers/, boxes/,
 * blobs/. Created 0700 on first use.
 */
public record KrunboxHome(Path root) {
    public KrunboxHome {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code -Dkrunbox.home}, else {@code KRUNBOX_HOME}, else {@code ~/.krunbox}. */
    public static KrunboxHome fromEnvironment() {
        String prop = System.getProperty("krunbox.home");
        String env = prop != null ? prop : Invocation.current().env("KRUNBOX_HOME");
        return new KrunboxHome(env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".krunbox"));
    }

    public Path layers() {
        return root.resolve("layers");
    }

    /** {@code volumes/<name>/_data}: a named or anonymous volume's content. */
    public Path volume(String name) {
        return root().resolve("volumes").resolve(name).resolve("_data");
    }

    public Path boxes() {
        return root.resolve("boxes");
    }

    public Path box(String id) {
        return boxes().resolve(id);
    }

    public KrunboxHome create() {
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            }
            Files.createDirectories(layers());
            Files.createDirectories(boxes());
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create krunbox home " + root + ": " + e.getMessage(), e);
        }
    }
}
