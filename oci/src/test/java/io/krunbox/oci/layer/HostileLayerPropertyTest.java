package io.krunbox.oci.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random hostile layers: names with {@code ..} and absolute paths, symlinks out of the root and
 * entries written through them, hardlinks to host files, device nodes, whiteouts of the parent,
 * truncated and corrupted archives. Whatever a layer holds, unpacking either works or fails with
 * an exception naming the problem (an unsafe entry, a broken archive), never another failure, and nothing outside the layer's directory is created,
 * changed or followed.
 */
class HostileLayerPropertyTest {
    @TempDir Path tmp;

    static final String[] NAMES = {"a", "a/b", "../x", "/abs", "a/../../y", "link", "link/z", "dev", ".wh.a", "a/.wh..wh..opq",
            "hard", "link/../../w", "./a/./c", "sub/inner", "up", "up/escaped"};
    static final String[] TARGETS = {"/", "..", "../..", "/etc", "a", "sub", "../outside", "/tmp", "link"};

    static byte[] randomLayer(Random r, Path outside) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            int n = 1 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                String name = NAMES[r.nextInt(NAMES.length)];
                TarArchiveEntry e;
                switch (r.nextInt(6)) {
                    case 0 -> {
                        e = new TarArchiveEntry(name + "/");
                        e.setMode(040755);
                    }
                    case 1 -> {
                        e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        e.setLinkName(r.nextBoolean() ? TARGETS[r.nextInt(TARGETS.length)] : outside.toString());
                    }
                    case 2 -> {
                        e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
                        e.setLinkName(r.nextBoolean() ? NAMES[r.nextInt(NAMES.length)] : outside.resolve("bait").toString());
                    }
                    case 3 -> {
                        e = new TarArchiveEntry(name, r.nextBoolean() ? TarArchiveEntry.LF_CHR : TarArchiveEntry.LF_BLK);
                        e.setDevMajor(r.nextInt(300));
                        e.setDevMinor(r.nextInt(300));
                    }
                    default -> {
                        e = new TarArchiveEntry(name);
                        byte[] data = ("payload " + i).getBytes(StandardCharsets.UTF_8);
                        e.setSize(data.length);
                        e.setMode(r.nextBoolean() ? 0104755 : 0100644); // setuid sometimes
                        out.putArchiveEntry(e);
                        out.write(data);
                        out.closeArchiveEntry();
                        continue;
                    }
                }
                out.putArchiveEntry(e);
                out.closeArchiveEntry();
            }
        }
        byte[] layer = bytes.toByteArray();
        switch (r.nextInt(5)) {
            case 0 -> layer = java.util.Arrays.copyOf(layer, r.nextInt(layer.length + 1)); // truncated
            case 1 -> {
                for (int k = 0; k < 4; k++) {
                    layer[r.nextInt(layer.length)] ^= (byte) (1 + r.nextInt(255)); // corrupted
                }
            }
            default -> { }
        }
        return layer;
    }

    static List<String> snapshot(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> {
                try {
                    return dir.relativize(p) + (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            ? "=" + Files.readString(p) : "");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    @Test
    void noHostileLayerWritesOrFollowsAnythingOutsideItsDirectory() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("bait"), "host file");
        List<String> before = snapshot(outside);
        Random r = new Random(20261201);
        int unpacked = 0, refused = 0;
        for (int round = 0; round < 1500; round++) {
            Path root = tmp.resolve("layers/" + round);
            byte[] layer = randomLayer(r, outside);
            LayerUnpacker.Whiteouts mode = r.nextBoolean() ? LayerUnpacker.Whiteouts.DELETE : LayerUnpacker.Whiteouts.OVERLAY;
            try {
                new LayerUnpacker(mode, note -> { }).unpack(new ByteArrayInputStream(layer), root, null, "layer " + round);
                unpacked++;
            } catch (IOException | io.krunbox.oci.ImageException e) {
                // refused with a message: an unsafe entry (ImageException) or a broken archive (IOException)
                assertThat(e.getMessage()).as("round %d", round).isNotBlank();
                refused++;
            }
            if (Files.exists(root)) {
                try (Stream<Path> all = Files.walk(root)) {
                    for (Path p : all.toList()) {
                        // lexically: a symlink in the layer may point anywhere (it is only data); it must sit in the layer
                        assertThat(p.normalize().startsWith(root)).as("%s lies in the layer", p).isTrue();
                        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                            // no hard link to a file outside the layer (it would share the host file's inode)
                            assertThat(Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS))
                                    .isNotEqualTo(Files.getAttribute(outside.resolve("bait"), "unix:ino"));
                        }
                        int type = (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
                        assertThat(type).as("no block device in %s", p).isNotEqualTo(0060000);
                        if (type == 0020000) { // a character device may only be an overlay whiteout (0:0)
                            assertThat(Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
                        }
                    }
                }
            }
            assertThat(tmp.resolve("x")).doesNotExist();
            assertThat(tmp.resolve("y")).doesNotExist();
            assertThat(tmp.resolve("w")).doesNotExist();
            assertThat(tmp.resolve("layers/outside")).doesNotExist();
            assertThat(Path.of("/abs")).doesNotExist();
        }
        assertThat(snapshot(outside)).isEqualTo(before);
        assertThat(unpacked).as("some layers unpack").isPositive();
        assertThat(refused).as("some layers are refused").isPositive();
    }
}
