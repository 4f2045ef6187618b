package io.krunbox.runtime.isolation.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What turns a box's libkrun calls into a running VM: the libkrun shim in production
 * ({@link LibkrunShimEngine}); the tests' QEMU harness replaces it, and only it.
 */
public interface VmEngine {
    /** The supervisor process as the plan prints it. */
    String describe(String shortId);

    /** The jail the VM's process runs in, as the plan prints it; empty when there is none. */
    default String jail(List<KrunCall> calls, Path boxDir) {
        return "";
    }

    /**
     * Starts the VM the calls describe; the returned process ends when the VM does. Its own
     * output goes to {@code log}; {@code enter} prefixes its command line (the network
     * namespace its TAPs live in, or nothing); {@code cgroups} are joined before the VM is made.
     */
    Process start(List<KrunCall> calls, Path boxDir, Path log, List<String> enter, List<Path> cgroups) throws IOException;

    /**
     * The VM as one command for krunbox-monitor to run (it joins the box's cgroups first), or
     * null when this engine's VM is more than one process it must look after itself.
     */
    default List<String> command(List<KrunCall> calls, Path boxDir, List<String> enter) throws IOException {
        return null;
    }
}
