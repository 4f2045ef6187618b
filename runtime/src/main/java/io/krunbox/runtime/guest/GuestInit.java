package io.krunbox.runtime.guest;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.runtime.base.BoxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The guest-init binary every box runs as PID 1: the one built into krunbox (the resource
 * {@code io/krunbox/guestinit/init}) or the file {@code KRUNBOX_GUEST_INIT} names. It must be
 * a static ELF; anything else is refused before a box starts.
 */
public final class GuestInit {
    public static final String RESOURCE = "/io/krunbox/guestinit/init";
    public static final String PATH_IN_BOX = "/.krunbox/init";

    private final byte[] binary;
    private final String origin;

    private GuestInit(byte[] binary, String origin) {
        this.binary = binary;
        this.origin = origin;
    }

    public static GuestInit fromEnvironment() {
        String override = Invocation.current().env("KRUNBOX_GUEST_INIT");
        return override != null && !override.isBlank() ? fromFile(Path.of(override)) : builtIn();
    }

    public static GuestInit builtIn() {
        try (InputStream in = GuestInit.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new BoxException("guest-init is missing from krunbox's class path (" + RESOURCE
                        + "): rebuild with `mvn package` (it needs musl-gcc or gcc)");
            }
            return checked(in.readAllBytes(), "the built-in guest-init");
        } catch (IOException e) {
            throw new BoxException("cannot read the built-in guest-init: " + e.getMessage(), e);
        }
    }

    public static GuestInit fromFile(Path file) {
        try {
            return checked(Files.readAllBytes(file), "guest-init " + file);
        } catch (IOException e) {
            throw new BoxException("cannot read guest-init " + file + ": " + e.getMessage(), e);
        }
    }

    private static GuestInit checked(byte[] bytes, String origin) {
        String problem = StaticElf.problem(bytes);
        if (problem != null) {
            throw new BoxException(origin + " cannot be a box's PID 1: " + problem
                    + "; build it static (make -C guest-init, with musl-gcc or gcc -static)");
        }
        return new GuestInit(bytes, origin);
    }

    public String origin() {
        return origin;
    }

    public int size() {
        return binary.length;
    }

    /** Writes the binary to the box's control directory ({@code /.krunbox/init} in the box), mode 0755. */
    public void installInto(BoxControl control) throws IOException {
        Path dir = control.dir();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("init.tmp");
        Files.write(tmp, binary);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, dir.resolve("init"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
