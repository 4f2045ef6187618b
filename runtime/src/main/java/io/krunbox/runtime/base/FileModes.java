package io.krunbox.runtime.base;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** A Unix mode's nine permission bits (0644, 0755) as Java's permission set. */
public final class FileModes {
    // 0001 first, 0400 last: bit i of the mode is ORDER[i]
    private static final PosixFilePermission[] ORDER = {PosixFilePermission.OTHERS_EXECUTE,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private FileModes() {}

    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < ORDER.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(ORDER[i]);
            }
        }
        return s;
    }
}
