package io.krunbox.runtime.isolation.vm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The production engine: {@code krunbox-vmm}, a small C program that makes the calls through
 * libkrun and enters the VM, in the shim jail ({@link ShimJail}).
 */
public final class LibkrunShimEngine implements VmEngine {
    @Override
    public String describe(String shortId) {
        return "krunbox-vmm " + shortId + " (jailed)";
    }

    @Override
    public String jail(List<KrunCall> calls, Path boxDir) {
        return ShimJail.describe(calls, boxDir);
    }

    @Override
    public Process start(List<KrunCall> calls, Path boxDir, Path log, List<String> enter, List<Path> cgroups)
            throws IOException {
        List<String> cmd = new java.util.ArrayList<>(enter);
        // the shell joins the box's cgroups, then becomes the jail: nothing of the VM runs outside them
        cmd.addAll(List.of("/bin/sh", "-c",
                "for g in $KRUNBOX_CGROUPS; do echo $$ > \"$g/cgroup.procs\" || exit 125; done; exec \"$@\"", "sh"));
        cmd.addAll(ShimJail.command(calls, boxDir, vmmCommand(calls, boxDir)));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KRUNBOX_CGROUPS", String.join(" ", cgroups.stream().map(Path::toString).toList()));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start the VM shim's jail: " + e.getMessage()
                    + "; install bubblewrap (apt-get install bubblewrap)", e);
        }
    }

    @Override
    public List<String> command(List<KrunCall> calls, Path boxDir, List<String> enter) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(enter);
        cmd.addAll(ShimJail.command(calls, boxDir, vmmCommand(calls, boxDir)));
        return cmd;
    }

    /** krunbox-vmm (taken into the home's bin/) and the box's calls file, written here. */
    static List<String> vmmCommand(List<KrunCall> calls, Path boxDir) throws IOException {
        Path callsFile = boxDir.resolve(CALLS_FILE);
        VmmCalls.write(callsFile, calls);
        // a box's directory is HOME/boxes/ID
        Path vmm = io.krunbox.runtime.guest.HelperBinary.extract("krunbox-vmm", boxDir.toAbsolutePath().getParent().getParent());
        return List.of(vmm.toString(), callsFile.toString());
    }

    /** The box's calls, as krunbox-vmm reads them, in its directory. */
    static final String CALLS_FILE = "krun-calls";

    /** libjsig lets libkrun's signal handlers chain with the JVM's own (SIGSEGV and friends). */
    static Path libjsig() {
        return Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    }
}
