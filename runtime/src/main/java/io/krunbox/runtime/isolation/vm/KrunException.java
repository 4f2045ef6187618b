package io.krunbox.runtime.isolation.vm;

import java.util.Map;

/** A libkrun call returned -errno; the message names the call, its arguments and the errno. */
public class KrunException extends RuntimeException {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM (Operation not permitted)"), Map.entry(2, "ENOENT (No such file or directory)"),
            Map.entry(5, "EIO (Input/output error)"), Map.entry(9, "EBADF (Bad file descriptor)"),
            Map.entry(12, "ENOMEM (Cannot allocate memory)"), Map.entry(13, "EACCES (Permission denied)"),
            Map.entry(16, "EBUSY (Device or resource busy)"), Map.entry(17, "EEXIST (File exists)"),
            Map.entry(19, "ENODEV (No such device)"), Map.entry(20, "ENOTDIR (Not a directory)"),
            Map.entry(22, "EINVAL (Invalid argument)"), Map.entry(95, "ENOTSUP (Operation not supported)"));

    private final String call;
    private final int errno;

    public KrunException(String call, String rendered, int rc) {
        super(rendered + " failed: " + rc + " " + NAMES.getOrDefault(-rc, "(errno " + -rc + ")"));
        this.call = call;
        this.errno = -rc;
    }

    /** The libkrun function that failed, e.g. {@code krun_set_vm_config}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
