package io.krunbox.runtime.image;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageReference;
import io.krunbox.oci.Platform;
import io.krunbox.oci.layer.LayerCache;
import io.krunbox.oci.registry.CredentialStore;
import io.krunbox.oci.registry.ImagePuller;
import io.krunbox.oci.registry.PullListener;
import io.krunbox.oci.registry.RegistryClient;
import io.krunbox.oci.store.BlobStore;
import io.krunbox.oci.store.ImageStore;
import io.krunbox.runtime.base.KrunboxHome;
import io.krunbox.statedb.StateDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The images of one krunbox home: the store in state.db, the blobs, the layer cache, and
 * pulls from registries. {@code KRUNBOX_INSECURE_REGISTRIES} (comma-separated) adds hosts
 * spoken to over plain HTTP; 127.0.0.1 and localhost always are.
 */
public final class Images implements AutoCloseable {
    private final KrunboxHome home;
    private final BlobStore blobs;
    private final LayerCache layers;
    private final Set<String> insecure;
    // opening state.db loads SQLite (a few hundred ms): it happens while the registry is asked
    private final java.util.concurrent.CompletableFuture<ImageStore> store;

    public Images(KrunboxHome home, Set<String> insecure) {
        this.home = home.create();
        this.blobs = new BlobStore(home.root().resolve("blobs"));
        this.layers = new LayerCache(home.layers(), s -> {});
        this.insecure = insecure;
        this.store = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> new ImageStore(StateDb.open(home.root().resolve("state.db")), blobs));
    }

    public static Images open(KrunboxHome home, Set<String> extraInsecure) {
        Set<String> insecure = new HashSet<>(extraInsecure);
        String env = Invocation.current().env("KRUNBOX_INSECURE_REGISTRIES");
        if (env != null) {
            Arrays.stream(env.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(insecure::add);
        }
        return new Images(home, insecure);
    }

    public StateDb db() {
        return store().db();
    }

    public ImageStore store() {
        try {
            return store.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    public BlobStore blobs() {
        return blobs;
    }

    public LayerCache layers() {
        return layers;
    }

    public CredentialStore credentials() {
        return new CredentialStore(home.root().resolve("auth.json"),
                Path.of(System.getProperty("user.home"), ".docker", "config.json"));
    }

    public RegistryClient registry() {
        return new RegistryClient(credentials(), insecure, Duration.ofSeconds(30), 4);
    }

    public ImageStore.Record pull(String reference, Platform platform, PullListener listener) {
        try {
            return new ImagePuller(registry(), blobs, layers, this::store, 4)
                    .pull(ImageReference.parse(reference), platform, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("pull of " + reference + " failed: " + e.getMessage(), e);
        }
    }

    /** The image a name, id or digest refers to, if krunbox holds it. */
    public Optional<ImageStore.Record> find(String text) {
        return store().find(text);
    }

    public Image image(ImageStore.Record r, String source) {
        return store().image(r, source);
    }

    /** The image named, pulled first when krunbox does not hold it (what {@code run} does). */
    public Image resolveOrPull(String text, PullListener listener) {
        Optional<ImageStore.Record> held = find(text);
        if (held.isPresent()) {
            return image(held.get(), text);
        }
        if (!ImageReference.isValid(text)) {
            ImageReference.parse(text); // throws, naming what is wrong
        }
        try {
            return image(pull(text, Platform.host(), listener), text);
        } catch (ImageException e) {
            throw new ImageException("image \"" + text + "\" is not held here and could not be pulled: " + e.getMessage(), e);
        }
    }

    /** Closes state.db once it is open: at once, so that the next opener of the same home never meets this one half-way. */
    @Override
    public void close() {
        try {
            store.join().db().close();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException failedToOpen) {
            // nothing was opened
        }
    }
}
