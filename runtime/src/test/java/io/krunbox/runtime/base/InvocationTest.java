package io.krunbox.runtime.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One call's context: what a file made for the caller looks like. */
class InvocationTest {
    @TempDir Path dir;

    private static Invocation withUmask(int umask) {
        return new Invocation(Map.of(), Path.of("/"), umask, FileDescriptor.in, FileDescriptor.out, FileDescriptor.err,
                false, null, code -> { });
    }

    @Test
    void aFileMadeForTheCallerHasTheModeItsUmaskGives() throws IOException {
        Path f = Files.createTempFile(dir, "out", ".tar"); // 0600, as every temp file
        withUmask(022).madeForCaller(f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        withUmask(007).madeForCaller(f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-rw----");
        withUmask(0777).madeForCaller(f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("---------");
    }

    @Test
    void aFileSwappedForALinkIsRefusedAndWhatItPointsAtKeepsItsMode() throws IOException {
        Path secret = Files.createFile(dir.resolve("secret"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Path swapped = Files.createSymbolicLink(dir.resolve("out.tar"), secret);
        assertThatThrownBy(() -> withUmask(0).madeForCaller(swapped)).isInstanceOf(IOException.class);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    }
}
