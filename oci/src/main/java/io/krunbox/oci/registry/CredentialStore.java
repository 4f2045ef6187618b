package io.krunbox.oci.registry;

import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

/**
 * Registry credentials: krunbox's own {@code auth.json} (written by {@code krunbox login},
 * mode 0600), then Docker's {@code ~/.docker/config.json}. Both use Docker's format:
 * {@code {"auths": {"host": {"auth": base64(user:password)}}}}.
 */
public final class CredentialStore {
    private final Path own;
    private final Path docker;

    public CredentialStore(Path own, Path docker) {
        this.own = own;
        this.docker = docker;
    }

    public Optional<Credentials> lookup(String registry) {
        return read(own, registry).or(() -> read(docker, registry));
    }

    private static Optional<Credentials> read(Path file, String registry) {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode auths = ImageJson.JSON.readTree(file.toFile()).path("auths");
            for (String key : new String[] {registry, "https://" + registry, "http://" + registry,
                    registry.equals(ImageReference.DOCKER_HUB) ? "https://index.docker.io/v1/" : registry}) {
                String auth = auths.path(key).path("auth").asText("");
                if (!auth.isEmpty()) {
                    String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon > 0) {
                        return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageException("cannot read credentials from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores credentials for a registry in krunbox's own file, mode 0600, atomically. */
    public void save(String registry, Credentials c) throws IOException {
        ObjectNode root = Files.isRegularFile(own) ? (ObjectNode) ImageJson.JSON.readTree(own.toFile())
                : ImageJson.JSON.createObjectNode();
        ObjectNode auths = root.has("auths") ? (ObjectNode) root.get("auths") : root.putObject("auths");
        auths.putObject(registry).put("auth", Base64.getEncoder()
                .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)));
        write(root);
    }

    /** Forgets a registry's credentials; false when there were none. */
    public boolean remove(String registry) throws IOException {
        if (!Files.isRegularFile(own)) {
            return false;
        }
        ObjectNode root = (ObjectNode) ImageJson.JSON.readTree(own.toFile());
        JsonNode auths = root.path("auths");
        if (!auths.has(registry)) {
            return false;
        }
        ((ObjectNode) auths).remove(registry);
        write(root);
        return true;
    }

    private void write(ObjectNode root) throws IOException {
        Files.createDirectories(own.getParent());
        Path tmp = Files.createTempFile(own.getParent(), ".auth", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, ImageJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        Files.move(tmp, own, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
