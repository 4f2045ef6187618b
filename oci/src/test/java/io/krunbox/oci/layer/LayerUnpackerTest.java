package io.krunbox.oci.layer;

import io.krunbox.oci.Descriptor;
import io.krunbox.oci.Digest;
import io.krunbox.oci.Image;
import io.krunbox.oci.UnexpectedBlobDigestException;
import io.krunbox.oci.UnsafeLayerEntryException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
    @TempDir Path tmp;
    private final List<String> notes = new ArrayList<>();

    /** A tiny tar writer: "d:name" dir, "f:name=content" file, "l:name>target" symlink, "h:name>target" hardlink. */
    static byte[] tar(boolean gzip, String... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var sink = gzip ? new GZIPOutputStream(bytes) : bytes;
             TarArchiveOutputStream out = new TarArchiveOutputStream(sink)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String spec : entries) {
                String kind = spec.substring(0, 2);
                String rest = spec.substring(2);
                switch (kind) {
                    case "d:" -> {
                        TarArchiveEntry e = new TarArchiveEntry(rest.endsWith("/") ? rest : rest + "/");
                        e.setMode(040755);
                        out.putArchiveEntry(e);
                    }
                    case "f:" -> {
                        String[] kv = rest.split("=", 2);
                        byte[] data = kv[1].getBytes(StandardCharsets.UTF_8);
                        TarArchiveEntry e = new TarArchiveEntry(kv[0]);
                        e.setSize(data.length);
                        e.setMode(0100640);
                        e.setIds(1000, 1001);
                        out.putArchiveEntry(e);
                        out.write(data);
                    }
                    case "l:", "h:" -> {
                        String[] kv = rest.split(">", 2);
                        TarArchiveEntry e = new TarArchiveEntry(kv[0],
                                kind.equals("l:") ? TarArchiveEntry.LF_SYMLINK : TarArchiveEntry.LF_LINK);
                        e.setLinkName(kv[1]);
                        out.putArchiveEntry(e);
                    }
                    default -> throw new IllegalArgumentException(spec);
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private void unpack(LayerUnpacker.Whiteouts mode, Path into, byte[] layer) throws IOException {
        new LayerUnpacker(mode, notes::add).unpack(new ByteArrayInputStream(layer), into, null, "test");
    }

    @Test
    void unpacksFilesDirsLinksWithOwnersAndModes() throws IOException {
        Path root = tmp.resolve("root");
        unpack(LayerUnpacker.Whiteouts.DELETE, root, tar(true, "d:etc", "f:etc/motd=hi", "l:bin>usr/bin",
                "h:etc/motd2>etc/motd", "f:/abs/file=contained"));
        assertThat(root.resolve("etc/motd")).hasContent("hi");
        assertThat(Files.getAttribute(root.resolve("etc/motd"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(root.resolve("etc/motd"), "unix:gid")).isEqualTo(1001);
        assertThat((int) Files.getAttribute(root.resolve("etc/motd"), "unix:mode") & 07777).isEqualTo(0640);
        assertThat(Files.readSymbolicLink(root.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        assertThat(Files.getAttribute(root.resolve("etc/motd2"), "unix:ino"))
                .isEqualTo(Files.getAttribute(root.resolve("etc/motd"), "unix:ino"));
        assertThat(root.resolve("abs/file")).hasContent("contained");
    }

    @Test
    void whiteoutAndOpaqueDirectoryDeleteFromAFlatRoot() throws IOException {
        Path root = tmp.resolve("root");
        unpack(LayerUnpacker.Whiteouts.DELETE, root, tar(false, "d:a", "f:a/gone=1", "f:a/kept=2", "d:b",
                "f:b/old=3", "f:top=4"));
        unpack(LayerUnpacker.Whiteouts.DELETE, root, tar(true, "f:a/.wh.gone=", "d:b", "f:b/new=5", "f:b/.wh..wh..opq=",
                "f:.wh.top="));
        assertThat(root.resolve("a/gone")).doesNotExist();
        assertThat(root.resolve("a/kept")).hasContent("2");
        assertThat(root.resolve("b/old")).doesNotExist();
        assertThat(root.resolve("b/new")).hasContent("5");
        assertThat(root.resolve("top")).doesNotExist();
        assertThat(root.resolve("a/.wh.gone")).doesNotExist();
        assertThat(root.resolve("b/.wh..wh..opq")).doesNotExist();
    }

    @Test
    void overlayModeKeepsWhiteoutsAsOverlayMarkers() throws IOException {
        Path layer = tmp.resolve("layer");
        unpack(LayerUnpacker.Whiteouts.OVERLAY, layer, tar(true, "d:a", "f:a/.wh.gone=", "d:b", "f:b/.wh..wh..opq="));
        Path marker = layer.resolve("a/gone");
        assertThat(Files.exists(marker, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.getAttribute(marker, "unix:rdev")).isEqualTo(0L);
        assertThat((int) Files.getAttribute(marker, "unix:mode") & 0170000).isEqualTo(0020000); // char device
        assertThat(layer.resolve("a/.wh.gone")).doesNotExist();
        Process p = new ProcessBuilder("getfattr", "--only-values", "-n", "trusted.overlay.opaque",
                layer.resolve("b").toString()).start();
        assertThat(new String(p.getInputStream().readAllBytes())).isEqualTo("y");
    }

    @Test
    void dotDotIsRejectedWithTheEntryName() {
        Path root = tmp.resolve("root");
        assertThatThrownBy(() -> unpack(LayerUnpacker.Whiteouts.DELETE, root, tar(false, "f:../escape=x")))
                .isInstanceOf(UnsafeLayerEntryException.class)
                .hasMessage("layer entry \"../escape\" rejected: \"..\" would climb out of the layer");
        assertThat(tmp.resolve("escape")).doesNotExist();
    }

    @Test
    void aSymlinkedParentIsRejectedAndNothingIsWrittenThroughIt() throws IOException {
        Path root = tmp.resolve("root");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        assertThatThrownBy(() -> unpack(LayerUnpacker.Whiteouts.DELETE, root,
                tar(false, "l:evil>" + outside, "f:evil/owned=x")))
                .isInstanceOf(UnsafeLayerEntryException.class)
                .hasMessageContaining("\"evil/owned\"").hasMessageContaining("is a symbolic link");
        assertThat(outside.resolve("owned")).doesNotExist();
    }

    @Test
    void aDirectoryReplacedByASymlinkCannotBeWrittenThrough() throws IOException {
        Path root = tmp.resolve("root");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        for (LayerUnpacker.Whiteouts mode : LayerUnpacker.Whiteouts.values()) {
            assertThatThrownBy(() -> unpack(mode, tmp.resolve("root-" + mode), tar(false, "d:a", "d:a/b", "f:a/b/x=1",
                    "l:a>" + outside, "f:a/b/y=2")))
                    .isInstanceOf(UnsafeLayerEntryException.class).hasMessageContaining("\"a/b/y\"");
        }
        assertThat(outside.resolve("b")).doesNotExist();
        assertThat(root).doesNotExist();
    }

    @Test
    void aWhiteoutOfADirectoryLetsLaterEntriesRecreateIt() throws IOException {
        Path root = tmp.resolve("root");
        unpack(LayerUnpacker.Whiteouts.DELETE, root, tar(false, "d:a", "d:a/b", "f:a/b/x=1"));
        unpack(LayerUnpacker.Whiteouts.DELETE, root, tar(false, "d:a", "f:a/.wh.b=", "f:a/b/y=2"));
        assertThat(root.resolve("a/b/x")).doesNotExist();
        assertThat(root.resolve("a/b/y")).hasContent("2");
    }

    @Test
    void relativeSymlinkEscapeCannotBeWrittenThrough() throws IOException {
        Path root = tmp.resolve("root");
        Files.createDirectories(tmp.resolve("victim"));
        assertThatThrownBy(() -> unpack(LayerUnpacker.Whiteouts.DELETE, root,
                tar(false, "l:up>../victim", "f:up/file=x")))
                .isInstanceOf(UnsafeLayerEntryException.class);
        assertThat(tmp.resolve("victim/file")).doesNotExist();
    }

    @Test
    void hardlinkOutsideTheLayerIsRejected() throws IOException {
        Path root = tmp.resolve("root");
        Files.writeString(tmp.resolve("secret"), "s");
        assertThatThrownBy(() -> unpack(LayerUnpacker.Whiteouts.DELETE, root, tar(false, "h:link>../secret")))
                .isInstanceOf(UnsafeLayerEntryException.class).hasMessageContaining("\"../secret\"");
        assertThat(root.resolve("link")).doesNotExist();
    }

    @Test
    void aTamperedBlobFailsWithBothDigests() throws IOException {
        byte[] layer = tar(true, "f:x=1");
        Digest claimed = Digest.of("something else".getBytes(StandardCharsets.UTF_8));
        Descriptor d = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", claimed, layer.length, Map.of());
        assertThatThrownBy(() -> new LayerUnpacker(LayerUnpacker.Whiteouts.DELETE, notes::add)
                .unpack(new ByteArrayInputStream(layer), tmp.resolve("r"), d, "oci:/img:1"))
                .isInstanceOf(UnexpectedBlobDigestException.class)
                .hasMessage("blob " + claimed + " of oci:/img:1 hashed to " + Digest.of(layer));
    }

    @Test
    void concurrentUnpacksOfOneLayerAllSucceedAndLeaveOneCopy() throws Exception {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            files.put("f:dir/file" + i, "x");
        }
        byte[] layer = tar(true, files.keySet().stream().map(f -> f + "=" + files.get(f)).toArray(String[]::new));
        Path blob = Files.write(tmp.resolve("blob"), layer);
        Image.Layer l = new Image.Layer(new Descriptor("t", Digest.of(layer), layer.length, Map.of()), Digest.of(new byte[] {3}), blob);
        LayerCache cache = new LayerCache(tmp.resolve("layers"), notes::add);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Path>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> cache.ensure(l, "img")));
            }
            for (var f : all) {
                assertThat(f.get()).isEqualTo(cache.pathOf(l));
            }
        } finally {
            pool.shutdown();
        }
        try (var left = Files.list(tmp.resolve("layers"))) {
            assertThat(left).containsExactly(cache.pathOf(l));
        }
        assertThat(cache.pathOf(l).resolve("dir/file199")).hasContent("x");
    }

    @Test
    void layerCacheLeavesNoTraceOfATamperedLayer() throws IOException {
        byte[] layer = tar(true, "f:x=1");
        Path blob = Files.write(tmp.resolve("blob"), layer);
        Digest wrong = Digest.of(new byte[] {1});
        Image.Layer l = new Image.Layer(new Descriptor("t", wrong, layer.length, Map.of()), Digest.of(new byte[] {2}), blob);
        LayerCache cache = new LayerCache(tmp.resolve("layers"), notes::add);
        assertThatThrownBy(() -> cache.ensure(l, "img")).isInstanceOf(UnexpectedBlobDigestException.class);
        try (var left = Files.list(tmp.resolve("layers"))) {
            assertThat(left).isEmpty();
        }
    }
}
