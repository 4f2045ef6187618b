package io.krunbox.runtime.hostfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes and reads inside a box's root against the links a box plants. */
class InRootTest {
    @TempDir Path tmp;
    Path root;
    Path hostFile;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        hostFile = tmp.resolve("host-file");
        Files.writeString(hostFile, "host");
    }

    @Test
    void aLinkAtTheFileIsReplacedNotFollowed() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/hosts"), hostFile);
        try (InRoot box = InRoot.open(root)) {
            box.writeFile("/etc/hosts", "box".getBytes(StandardCharsets.UTF_8), 0644);
        }
        assertThat(hostFile).hasContent("host");
        assertThat(Files.isSymbolicLink(root.resolve("etc/hosts"))).isFalse();
        assertThat(root.resolve("etc/hosts")).hasContent("box");
        assertThat((int) Files.getAttribute(root.resolve("etc/hosts"), "unix:mode") & 0777).isEqualTo(0644);
    }

    @Test
    void aLinkedDirectoryIsResolvedInsideTheRoot() throws IOException {
        // /etc -> /host-dir (absolute, meant for the host) and /up -> ../../.. (climbing out)
        Path hostDir = Files.createDirectories(tmp.resolve("host-dir"));
        Files.createSymbolicLink(root.resolve("etc"), hostDir);
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../.."));
        try (InRoot box = InRoot.open(root)) {
            box.makeDirectories(hostDir.toString());
            box.writeFile("/etc/hosts", "a".getBytes(StandardCharsets.UTF_8), 0644);
            box.writeFile("/up/host-file", "b".getBytes(StandardCharsets.UTF_8), 0644);
        }
        try (var s = Files.list(hostDir)) {
            assertThat(s).isEmpty();
        }
        assertThat(hostFile).hasContent("host");
        assertThat(root.resolve(hostDir.toString().substring(1)).resolve("hosts")).hasContent("a");
        assertThat(root.resolve("host-file")).hasContent("b");
    }

    @Test
    void aPlantedTopLevelLinkBecomesTheHostsOwnDirectory() throws IOException {
        Files.createSymbolicLink(root.resolve(".krunbox"), tmp);
        new IdleRoot(root).ensureOwnDirectory(".krunbox");
        assertThat(Files.isDirectory(root.resolve(".krunbox"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(hostFile).hasContent("host");
    }

    @Test
    void aBoundedReadRefusesLinksFifosAndBigFilesWithoutBlocking() throws Exception {
        Path link = tmp.resolve("exit-link");
        Files.createSymbolicLink(link, hostFile);
        assertThatThrownBy(() -> InRoot.readBounded(link, 100)).isInstanceOf(IOException.class)
                .hasMessageContaining("a symbolic link");
        Path fifo = tmp.resolve("exit-fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> InRoot.readBounded(fifo, 100)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a regular file");
        Path big = tmp.resolve("exit-big");
        Files.write(big, new byte[101]);
        assertThatThrownBy(() -> InRoot.readBounded(big, 100)).hasMessageContaining("larger than 100 bytes");
        assertThat(InRoot.readBounded(tmp.resolve("missing"), 100)).isEmpty();
        assertThat(InRoot.readBounded(hostFile, 100)).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("host"));
    }

    @Test
    void cpOutCopiesLinksAsLinksAndCpInResolvesInsideTheRoot() throws Exception {
        Path hostDir = Files.createDirectories(tmp.resolve("host-dir"));
        Files.writeString(hostDir.resolve("secret"), "host secret");
        Path data = Files.createDirectories(root.resolve("data"));
        Files.writeString(data.resolve("kept"), "box file");
        Files.createSymbolicLink(data.resolve("leak"), hostDir);
        Files.createSymbolicLink(root.resolve("etc"), hostDir); // the box's /etc points at the host's directory
        Path out = Files.createDirectories(tmp.resolve("out"));
        io.krunbox.runtime.rootfs.BoxCopy.out(root, "/data", out);
        assertThat(out.resolve("data/kept")).hasContent("box file");
        assertThat(Files.isSymbolicLink(out.resolve("data/leak"))).isTrue();
        assertThat(out.resolve("data/leak/secret")).as("through the host's own link, not copied").exists();
        try (var s = Files.list(out.resolve("data"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("kept", "leak");
        }
        Path local = Files.writeString(tmp.resolve("local"), "from the host");
        // /etc leads, inside the box, to a directory the box does not have: refused, the host's untouched
        assertThatThrownBy(() -> io.krunbox.runtime.rootfs.BoxCopy.in(local, root, "/etc/local"))
                .hasMessageContaining("no such file or directory");
        assertThat(hostDir.resolve("local")).doesNotExist();
        Files.createDirectories(root.resolve(hostDir.toString().substring(1)));
        io.krunbox.runtime.rootfs.BoxCopy.in(local, root, "/etc/local");
        assertThat(hostDir.resolve("local")).doesNotExist();
        assertThat(root.resolve(hostDir.toString().substring(1)).resolve("local")).hasContent("from the host");
        assertThat(hostDir.resolve("secret")).hasContent("host secret");
    }
}
