package io.krunbox.runtime.guest;

import io.krunbox.runtime.base.BoxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One of krunbox's small static helpers built with guest-init (krunbox-monitor, krunbox-overlay),
 * taken from the class path into a home's {@code bin/} under a name that carries its content,
 * so every build runs its own copy and a copy is made once.
 */
public final class HelperBinary {
    private HelperBinary() {}

    /** {@code bin/NAME-HASH} of the home whose root is {@code homeRoot}, made when missing. */
    public static Path extract(String name, Path homeRoot) throws IOException {
        String resource = "/io/krunbox/guestinit/" + name;
        byte[] bytes;
        try (InputStream in = HelperBinary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BoxException(name + " is missing from krunbox's class path (" + resource + "): rebuild krunbox");
            }
            bytes = in.readAllBytes();
        }
        Path bin = homeRoot.resolve("bin").resolve(name + "-" + Integer.toHexString(java.util.Arrays.hashCode(bytes))
                + "-" + bytes.length);
        if (!Files.isExecutable(bin)) {
            Files.createDirectories(bin.getParent());
            Path tmp = Files.createTempFile(bin.getParent(), "." + name, "");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, bin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return bin;
    }
}
