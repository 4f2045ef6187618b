package io.krunbox.runtime.isolation.vm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The production engine: {@code krunbox-shim}, a small JVM that makes the calls through JNA and enters the VM. */
public final class LibkrunShimEngine implements VmEngine {
    @Override
    public String describe(String shortId) {
        return "krunbox-shim " + shortId + " (jailed)";
    }

    @Override
    public String jail(List<KrunCall> calls, Path boxDir) {
        return ShimJail.describe(calls, boxDir);
    }

    @Override
    public Process start(List<KrunCall> calls, Path boxDir, Path log, List<String> enter, List<Path> cgroups)
            throws IOException {
        Path callsFile = boxDir.resolve("krun-calls.json");
        KrunShim.write(callsFile, calls);
        List<String> cmd = new java.util.ArrayList<>(enter);
        // the shell joins the box's cgroups, then becomes the jail: nothing of the VM runs outside them
        cmd.addAll(List.of("/bin/sh", "-c",
                "for g in $KRUNBOX_CGROUPS; do echo $$ > \"$g/cgroup.procs\" || exit 125; done; exec \"$@\"", "sh"));
        cmd.addAll(ShimJail.command(calls, boxDir, shimCommand(callsFile)));
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
        Path callsFile = boxDir.resolve("krun-calls.json");
        KrunShim.write(callsFile, calls);
        List<String> cmd = new java.util.ArrayList<>(enter);
        cmd.addAll(ShimJail.command(calls, boxDir, shimCommand(callsFile)));
        return cmd;
    }

    /** The shim's command line. */
    public static List<String> shimCommand(Path callsFile) {
        String javaHome = System.getProperty("java.home");
        return List.of(Path.of(javaHome, "bin", "java").toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k", "-cp", System.getProperty("java.class.path"),
                KrunShim.class.getName(), callsFile.toString());
    }

    /** libjsig lets libkrun's signal handlers chain with the JVM's own (SIGSEGV and friends). */
    static Path libjsig() {
        return Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    }
}
