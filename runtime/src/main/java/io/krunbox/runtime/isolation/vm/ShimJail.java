package io.krunbox.runtime.isolation.vm;

import io.krunbox.runtime.base.Invocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The bubblewrap jail the VM shim runs in: the VMM holds the guest and parses what the guest
 * sends, so it sees only what it needs. Read-only: /usr (libkrun, libkrunfw and their
 * libraries), the shim ({@code krunbox-vmm}; for a JVM shim, the JVM, its files under /etc and
 * its class path), a kernel given with --kernel, the box's control directory and its libkrun calls. Writable: the
 * box's root, the control directory's run/, its logs/ and socket directory, and its read-write
 * volumes; read-only volumes and single files read-only (libkrun enforces them too). Nothing
 * else of the box's directory is there, so the VMM cannot leave links where the host writes.
 * Devices: /dev/kvm and /dev/net/tun only. A cleared environment that keeps LD_LIBRARY_PATH and
 * LD_PRELOAD (libjsig), the capabilities a virtio-fs server and a TAP need, and
 * --die-with-parent: the shim's parent is the process that owns the box for its whole life (the
 * foreground run, or the box's supervisor), never a short-lived CLI call.
 */
public final class ShimJail {
    /**
     * What libkrun's virtio-fs server (files of any owner, mknod, xattrs) and its TAP need; nothing else.
     * Not CAP_SYS_RESOURCE: bubblewrap 0.8 then leaves every capability in place (KrunContextIT checks the set).
     */
    static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
            "CAP_FSETID", "CAP_SETUID", "CAP_SETGID", "CAP_SETFCAP", "CAP_MKNOD", "CAP_NET_ADMIN",
            "CAP_IPC_LOCK");

    private ShimJail() {}

    /** The bwrap command that starts {@code shim} jailed for a box made of {@code calls} in {@code boxDir}. */
    public static List<String> command(List<KrunCall> calls, Path boxDir, List<String> shim) {
        return build(calls, boxDir, shim, false);
    }

    /** The same jail as the plan prints it: krunbox-vmm by name, not by path. */
    public static String describe(List<KrunCall> calls, Path boxDir) {
        return String.join(" ", build(calls, boxDir, List.of("krunbox-vmm"), true));
    }

    private static List<String> build(List<KrunCall> calls, Path boxDir, List<String> shim, boolean printable) {
        List<String> cmd = new ArrayList<>(List.of("bwrap", "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--new-session", "--clearenv"));
        Path javaHome = Path.of(System.getProperty("java.home"));
        boolean jvm = !printable && shim.get(0).equals(javaHome.resolve("bin/java").toString());
        for (String var : List.of("LD_LIBRARY_PATH", "LD_PRELOAD")) {
            String v = var.equals("LD_PRELOAD") ? (jvm ? preload() : null) : Invocation.current().env(var);
            if (v != null && !v.isEmpty() && !printable) {
                cmd.addAll(List.of("--setenv", var, v));
            }
        }
        cmd.addAll(List.of("--cap-drop", "ALL"));
        for (String c : CAPABILITIES) {
            cmd.addAll(List.of("--cap-add", c));
        }
        cmd.addAll(List.of("--ro-bind", "/usr", "/usr"));
        if (printable) {
            cmd.add("<the host's /bin /sbin /lib* as they are>");
        }
        for (String top : printable ? List.<String>of() : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
            Path p = Path.of(top);
            if (Files.isSymbolicLink(p)) {
                try {
                    cmd.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
                } catch (IOException e) {
                    // unreadable: left out
                }
            } else if (Files.isDirectory(p)) {
                cmd.addAll(List.of("--ro-bind", top, top));
            }
        }
        Set<Path> readOnly = new LinkedHashSet<>();
        if (printable || Files.exists(Path.of("/etc/ld.so.cache"))) {
            readOnly.add(Path.of("/etc/ld.so.cache"));
        }
        if (printable) {
            cmd.addAll(List.of("--ro-bind", "<krunbox-vmm>", "<krunbox-vmm>"));
        } else if (!jvm) {
            readOnly.add(Path.of(shim.get(0)).toAbsolutePath());
        } else {
            readOnly.add(real(javaHome));
            readOnly.addAll(outsideLinks(javaHome));
            for (String entry : shim.stream().dropWhile(a -> !a.equals("-cp")).skip(1).findFirst().orElse("").split(":")) {
                if (!entry.isEmpty() && Files.exists(Path.of(entry))) {
                    readOnly.add(Path.of(entry).toAbsolutePath());
                }
            }
        }
        Set<Path> writable = new LinkedHashSet<>();
        Path callsFile = boxDir.toAbsolutePath().resolve(LibkrunShimEngine.CALLS_FILE);
        if (printable || Files.exists(callsFile)) {
            readOnly.add(callsFile);
        }
        Path sockets = boxDir.toAbsolutePath().resolve("sock");
        if (printable || Files.isDirectory(sockets)) {
            writable.add(sockets);
        }
        String socketLink = null, socketTarget = null;
        for (KrunCall c : calls) {
            switch (c.function()) {
                case "krun_add_virtiofs3" -> (Boolean.TRUE.equals(c.args().get(3)) ? readOnly : writable)
                        .add(Path.of(c.string(1)).toAbsolutePath());
                case "krun_set_root" -> writable.add(Path.of(c.string(0)).toAbsolutePath());
                case "krun_set_kernel" -> readOnly.add(Path.of(c.string(0)).toAbsolutePath());
                case "krun_set_console_output" -> writable.add(Path.of(c.string(0)).toAbsolutePath().getParent());
                case "krun_add_vsock_port2" -> {
                    Path sock = Path.of(c.string(1));
                    if (printable) {
                        socketLink = sock.getParent().toString();
                        socketTarget = boxDir.resolve("sock").toString();
                    } else if (Files.isSymbolicLink(sock.getParent())) {
                        socketLink = sock.getParent().toString();
                        try {
                            socketTarget = Files.readSymbolicLink(sock.getParent()).toString();
                        } catch (IOException e) {
                            socketLink = null;
                        }
                    }
                }
                default -> { }
            }
        }
        // parents before what lies in them, so a read-only share inside a writable one (or the other way) holds
        List<Path> binds = new ArrayList<>();
        readOnly.stream().filter(p -> !writable.contains(p)).forEach(binds::add);
        writable.stream().filter(p -> writable.stream().noneMatch(w -> !w.equals(p) && p.startsWith(w))).forEach(binds::add);
        binds.sort(java.util.Comparator.comparingInt(Path::getNameCount));
        for (Path p : binds) {
            cmd.addAll(List.of(writable.contains(p) ? "--bind" : "--ro-bind", p.toString(), p.toString()));
        }
        cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        for (String dev : List.of("/dev/kvm", "/dev/net/tun")) {
            if (printable || Files.exists(Path.of(dev))) {
                cmd.addAll(List.of("--dev-bind", dev, dev));
            }
        }
        if (!writable.stream().anyMatch(p -> p.startsWith("/tmp"))) {
            cmd.addAll(List.of("--tmpfs", "/tmp"));
        }
        if (socketLink != null) {
            // the exec socket's short path (/tmp/krunbox-<uid>/<id>) leads to the box's socket directory, bound above
            cmd.addAll(List.of("--dir", Path.of(socketLink).getParent().toString(), "--symlink", socketTarget, socketLink));
        }
        cmd.add("--");
        cmd.addAll(shim);
        return cmd;
    }

    /** libjsig, so libkrun's signal handlers chain with the JVM's. */
    private static String preload() {
        Path jsig = LibkrunShimEngine.libjsig();
        return Files.exists(jsig) ? jsig.toString() : null;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** The directories that the JVM's own links lead to outside it (Debian's conf and cacerts live under /etc). */
    static Set<Path> outsideLinks(Path javaHome) {
        Set<Path> out = new LinkedHashSet<>();
        Path home = real(javaHome);
        try (Stream<Path> all = Files.walk(home, 4)) {
            for (Path p : all.filter(Files::isSymbolicLink).toList()) {
                Path target = real(p);
                if (!target.startsWith(home) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Path dir = Files.isDirectory(target) ? target : target.getParent();
                    if (out.stream().noneMatch(dir::startsWith)) {
                        out.removeIf(d -> d.startsWith(dir));
                        out.add(dir);
                    }
                }
            }
        } catch (IOException e) {
            // a JVM that cannot be walked is bound as it is
        }
        return out;
    }
}
