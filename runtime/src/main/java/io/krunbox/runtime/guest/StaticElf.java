package io.krunbox.runtime.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Checks that a binary is a static x86-64/aarch64 ELF executable: PID 1 cannot rely on a loader. */
public final class StaticElf {
    private static final int PT_INTERP = 3;

    private StaticElf() {}

    /** Returns null when {@code bytes} is a static ELF, else why not. */
    public static String problem(byte[] bytes) {
        if (bytes.length < 64 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            return "it is not an ELF binary";
        }
        if (bytes[4] != 2) {
            return "it is not a 64-bit ELF";
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(bytes[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int type = b.getShort(16) & 0xffff;
        if (type != 2 && type != 3) {
            return "it is not an executable (ELF type " + type + ")";
        }
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at + 4 > bytes.length) {
                return "its program headers are truncated";
            }
            if (b.getInt((int) at) == PT_INTERP) {
                return "it is dynamically linked (it asks for a program interpreter)";
            }
        }
        return null;
    }
}
