package io.krunbox.runtime.linux;

/** A system call failed: which one, and the errno it set. */
public final class Errno extends RuntimeException {
    public static final int ENOENT = 2, EEXIST = 17, EXDEV = 18, ENOTDIR = 20, ELOOP = 40;

    private final int code;

    Errno(String call, int code) {
        super(call + " failed: errno " + code);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
