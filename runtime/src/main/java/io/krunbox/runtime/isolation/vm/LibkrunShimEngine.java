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
        return "krunbox-shim " + shortId;
    }

    @Override
    public Process start(List<KrunCall> calls, Path boxDir, Path log, List<String> enter, List<Path> cgroups)
            throws IOException {
        Path callsFile = boxDir.resolve("krun-calls.json");
        KrunShim.write(callsFile, calls);
        List<String> cmd = new java.util.ArrayList<>(enter);
        cmd.addAll(shimCommand(callsFile));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put(KrunShim.CGROUPS_ENV, String.join(" ", cgroups.stream().map(Path::toString).toList()));
        if (Files.exists(libjsig())) {
            pb.environment().put("LD_PRELOAD", libjsig().toString());
        }
        return pb.start();
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
