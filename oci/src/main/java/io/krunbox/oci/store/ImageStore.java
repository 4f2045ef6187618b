package io.krunbox.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.ImageJson;
import io.krunbox.oci.ImageReference;
import io.krunbox.statedb.StateDb;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The images krunbox holds, recorded in {@code state.db}: an image is its config digest
 * (Docker's image id) with its manifest; tags map {@code registry/repository:tag} to an image.
 * Content lives in the {@link BlobStore}.
 */
public final class ImageStore {
    private final StateDb db;
    private final BlobStore blobs;

    public ImageStore(StateDb db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
        db.migrate("oci/1-images",
                "CREATE TABLE images (id TEXT PRIMARY KEY, manifest_digest TEXT NOT NULL, repo_digest TEXT,"
                        + " platform TEXT NOT NULL, size INTEGER NOT NULL, created TEXT, added_at TEXT NOT NULL)",
                "CREATE TABLE image_tags (name TEXT PRIMARY KEY, image_id TEXT NOT NULL REFERENCES images(id))");
    }

    public BlobStore blobs() {
        return blobs;
    }

    public StateDb db() {
        return db;
    }

    /** One image as recorded. {@code repoDigest} is what a registry calls it ({@code repo@sha256:...}). */
    public record Record(Digest id, Digest manifestDigest, String repoDigest, String platform, long size,
                         String created, String addedAt, List<String> tags) {
        public String shortId() {
            return id.shortHex();
        }
    }

    /** Records an image (or refreshes it) and points {@code tag} at it, in one transaction. */
    public Record record(Digest id, Digest manifest, String repoDigest, String platform, long size, String created,
                         ImageReference tag) {
        db.inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement("INSERT INTO images (id, manifest_digest, repo_digest, platform,"
                    + " size, created, added_at) VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
                    + " ON CONFLICT(id) DO UPDATE SET repo_digest = coalesce(excluded.repo_digest, repo_digest)")) {
                up.setString(1, id.toString());
                up.setString(2, manifest.toString());
                up.setString(3, repoDigest);
                up.setString(4, platform);
                up.setLong(5, size);
                up.setString(6, created);
                up.executeUpdate();
            }
            if (tag != null) {
                putTag(c, tag, id);
            }
            return null;
        });
        return find(id.toString()).orElseThrow();
    }

    private static void putTag(Connection c, ImageReference tag, Digest id) throws SQLException {
        try (PreparedStatement t = c.prepareStatement("INSERT INTO image_tags (name, image_id) VALUES (?, ?)"
                + " ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id")) {
            t.setString(1, tag.withTag(tag.tag() != null ? tag.tag() : "latest").toString());
            t.setString(2, id.toString());
            t.executeUpdate();
        }
    }

    public void tag(Record image, ImageReference tag) {
        db.inTransaction(c -> {
            putTag(c, tag, image.id());
            return null;
        });
    }

    /** Removes a tag; true when it existed. */
    public boolean untag(ImageReference tag) {
        return db.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM image_tags WHERE name = ?")) {
                d.setString(1, tag.toString());
                return d.executeUpdate() > 0;
            }
        });
    }

    /** Forgets an image and its tags (its blobs stay until {@code image prune}). */
    public void delete(Digest id) {
        db.inTransaction(c -> {
            for (String sql : new String[] {"DELETE FROM image_tags WHERE image_id = ?", "DELETE FROM images WHERE id = ?"}) {
                try (PreparedStatement d = c.prepareStatement(sql)) {
                    d.setString(1, id.toString());
                    d.executeUpdate();
                }
            }
            return null;
        });
    }

    public List<Record> list() {
        return query("1 = 1", List.of());
    }

    /**
     * Finds an image by tag ({@code busybox}, {@code host:5000/app:1}), by id or id prefix
     * (at least 4 hex digits, with or without {@code sha256:}), or by repo digest.
     */
    public Optional<Record> find(String text) {
        String hex = text.startsWith("sha256:") ? text.substring(7) : text;
        if (hex.matches("[0-9a-f]{4,64}")) {
            List<Record> byId = query("i.id LIKE ?", List.of("sha256:" + hex + "%"));
            if (byId.size() > 1) {
                throw new ImageException("image id prefix " + text + " is ambiguous: it matches " + byId.size() + " images");
            }
            if (byId.size() == 1) {
                return Optional.of(byId.get(0));
            }
        }
        if (!ImageReference.isValid(text)) {
            return Optional.empty();
        }
        ImageReference ref = ImageReference.parse(text);
        if (ref.digest() != null) {
            List<Record> byDigest = query("i.repo_digest LIKE ? OR i.manifest_digest = ?",
                    List.of("%@" + ref.digest(), ref.digest().toString()));
            return byDigest.stream().findFirst();
        }
        return query("i.id IN (SELECT image_id FROM image_tags WHERE name = ?)", List.of(ref.toString()))
                .stream().findFirst();
    }

    private List<Record> query(String where, List<String> args) {
        return db.read(c -> {
            Map<String, List<String>> tags = new LinkedHashMap<>();
            try (PreparedStatement t = c.prepareStatement("SELECT name, image_id FROM image_tags ORDER BY name")) {
                ResultSet rs = t.executeQuery();
                while (rs.next()) {
                    tags.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(1));
                }
            }
            List<Record> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id, manifest_digest, repo_digest, platform, size, created,"
                    + " added_at FROM images i WHERE " + where + " ORDER BY added_at DESC")) {
                for (int i = 0; i < args.size(); i++) {
                    q.setString(i + 1, args.get(i));
                }
                ResultSet rs = q.executeQuery();
                while (rs.next()) {
                    out.add(new Record(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getString(6), rs.getString(7),
                            List.copyOf(tags.getOrDefault(rs.getString(1), List.of()))));
                }
            }
            return out;
        });
    }

    /** The image, with its layers in the blob store, ready for the runtime. */
    public Image image(Record r, String source) {
        JsonNode manifest = json(r.manifestDigest(), source);
        Descriptor configDesc = ImageJson.descriptor(manifest.path("config"), source);
        JsonNode config = json(configDesc.digest(), source);
        List<Descriptor> layers = ImageJson.layers(manifest, source);
        List<Digest> diffIds = ImageJson.diffIds(config);
        if (layers.size() != diffIds.size()) {
            throw new ImageException(source + ": the manifest lists " + layers.size() + " layers but the config has "
                    + diffIds.size() + " diff_ids");
        }
        List<Image.Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(new Image.Layer(layers.get(i), diffIds.get(i), blobs.path(layers.get(i).digest())));
        }
        return new Image(source, r.manifestDigest(), ImageJson.config(config), out);
    }

    private JsonNode json(Digest d, String source) {
        try {
            return ImageJson.parse(Files.readAllBytes(blobs.path(d)), source + ": blob " + d);
        } catch (IOException e) {
            throw new ImageException(source + ": blob " + d + " is missing from the store (" + e.getMessage()
                    + "); pull the image again", e);
        }
    }

    /** Every blob some recorded image needs: manifests, configs and layers (and the index it came from). */
    public Set<Digest> referencedBlobs() {
        Set<Digest> out = new HashSet<>();
        for (Record r : list()) {
            out.add(r.manifestDigest());
            if (r.repoDigest() != null && r.repoDigest().contains("@")) {
                out.add(Digest.parse(r.repoDigest().substring(r.repoDigest().indexOf('@') + 1)));
            }
            JsonNode manifest = json(r.manifestDigest(), r.id().toString());
            out.add(ImageJson.descriptor(manifest.path("config"), "").digest());
            ImageJson.layers(manifest, "").forEach(l -> out.add(l.digest()));
        }
        return out;
    }
}
