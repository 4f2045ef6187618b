package io.krunbox.runtime.isolation.vm;

import io.krunbox.runtime.base.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where libkrun.so.1 and libkrunfw.so.5 are on this host, and their versions (from the file names). */
public final class LibKrunInstall {
    public static final String LIBKRUN = "libkrun.so.1";
    public static final String LIBKRUNFW = "libkrunfw.so.5";

    private static final String[] USUAL = {"/usr/local/lib", "/usr/local/lib64", "/usr/lib/x86_64-linux-gnu",
        "/usr/lib64", "/usr/lib"};

    private LibKrunInstall() {}

    /** The library's path from the dynamic linker's cache, or the usual directories. */
    public static Optional<Path> find(String soname) {
        String cache = HostCommand.tryRun("/sbin/ldconfig", "-p").output();
        for (String line : cache.split("\n")) {
            String t = line.trim();
            if (t.startsWith(soname + " ") && t.contains("=>")) {
                return Optional.of(Path.of(t.substring(t.indexOf("=>") + 2).trim()));
            }
        }
        for (String dir : USUAL) {
            Path p = Path.of(dir, soname);
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the library is installed: a look in the usual directories first, the linker's cache
     * ({@code ldconfig -p}, a process of its own) only when it is in none of them. Every run
     * without --isolation asks this twice.
     */
    public static boolean installed(String soname) {
        for (String dir : USUAL) {
            if (Files.exists(Path.of(dir, soname))) {
                return true;
            }
        }
        return find(soname).isPresent();
    }

    /** Loads libkrun and lists the build features krunbox cares about, e.g. "net, blk, init-blob". */
    public static String features() {
        LibKrun lib = LibKrun.load();
        java.util.List<String> on = new java.util.ArrayList<>();
        String[] names = {"net", "blk"};
        for (int i = 0; i < names.length; i++) {
            if (lib.krun_has_feature(i) == 1) {
                on.add(names[i]);
            }
        }
        if (lib.krun_has_feature(11) == 1) {
            on.add("init-blob");
        }
        return String.join(", ", on);
    }

    /** {@code 1.19.7} for libkrun.so.1.19.7, or "unknown". */
    public static String version(Path lib, String soname) {
        try {
            String real = lib.toRealPath().getFileName().toString();
            String base = soname.substring(0, soname.indexOf(".so") + 3);
            return real.startsWith(base + ".") ? real.substring(base.length() + 1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
