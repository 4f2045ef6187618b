package io.krunbox.runtime.isolation.sandbox;

import io.krunbox.runtime.base.BoxException;
import io.krunbox.runtime.guest.BoxControl;
import io.krunbox.runtime.guest.GuestInit;
import io.krunbox.runtime.guest.GuestMount;
import io.krunbox.runtime.isolation.BoxOutput;
import io.krunbox.runtime.isolation.BoxProcess;
import io.krunbox.runtime.model.DeviceMapping;
import io.krunbox.runtime.security.BoxPrivileges;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts guest-init as PID 1 of new namespaces with bubblewrap. bwrap writes the host pid of
 * its child (guest-init) to {@code --info-fd}, so signals go to guest-init itself, which
 * forwards them to the workload.
 */
public final class SandboxLauncher {
    private static final Pattern CHILD_PID = Pattern.compile("\"child-pid\"\\s*:\\s*(\\d+)");

    /**
     * The bwrap command line for a rootfs (what the plan prints, and what runs), with {@code netns} (a named network namespace the runtime made and wired, or null for a
     * private one with only loopback) and the box's bind mounts.
     */
    public static List<String> command(Path merged, BoxControl control, Path socketDir, String netns,
                                       List<GuestMount> mounts, BoxPrivileges privileges) {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("nsenter", "--net=/run/netns/" + netns));
        }
        // the control directory read-only over the box's /.krunbox, its run/ (ready, exit) and sock/ writable
        cmd.addAll(List.of("bwrap", "--bind", merged.toString(), "/", "--ro-bind", control.dir().toString(),
                BoxControl.IN_BOX, "--bind", control.run().toString(), BoxControl.IN_BOX + "/run",
                "--bind", socketDir.toString(), BoxControl.IN_BOX + "/sock"));
        for (GuestMount m : mounts) {
            if (m.type().equals("bind")) {
                cmd.addAll(List.of(m.readOnly() ? "--ro-bind" : "--bind", m.bindSource(), m.target()));
            }
        }
        cmd.addAll(List.of("--proc", "/proc"));
        if (privileges.hostDevices()) {
            cmd.addAll(List.of("--dev-bind", "/dev", "/dev"));
        } else {
            // a fresh /dev with null, zero, full, random, urandom, tty, pts and ptmx; the devices cgroup allows only those
            cmd.addAll(List.of("--dev", "/dev"));
            for (DeviceMapping d : privileges.devices()) {
                cmd.addAll(List.of("--dev-bind", d.hostPath(), d.boxPath()));
            }
        }
        cmd.addAll(List.of("--unshare-pid", "--unshare-ipc", "--unshare-uts"));
        if (netns == null) {
            cmd.add("--unshare-net");
        }
        cmd.addAll(List.of("--unshare-cgroup-try",
                "--as-pid-1", "--die-with-parent", "--cap-add", "ALL", "--clearenv",
                "--setenv", "KRUNBOX_ISOLATION", "sandbox", "--info-fd", "3", GuestInit.PATH_IN_BOX));
        return cmd;
    }

    /**
     * The mounts with their targets where they really are in the box's root ({@link io.krunbox.runtime.hostfs.IdleRoot#mountTarget}),
     * and /proc and /dev real directories: bubblewrap runs as root with the host's / still
     * reachable, so a link the box left at a mount point must never reach it. Done at each start.
     */
    public static List<GuestMount> resolveTargets(Path merged, List<GuestMount> mounts) throws IOException {
        List<GuestMount> out = new ArrayList<>();
        io.krunbox.runtime.hostfs.IdleRoot root = new io.krunbox.runtime.hostfs.IdleRoot(merged); // nothing runs yet
        {
            root.ensureOwnDirectory("proc");
            root.ensureOwnDirectory("dev");
            for (GuestMount m : mounts) {
                if (!m.type().equals("bind")) {
                    out.add(m);
                    continue;
                }
                String target = root.mountTarget(m.target(), Files.isDirectory(Path.of(m.bindSource())));
                out.add(new GuestMount(m.type(), m.hostPath(), m.subpath(), target, m.readOnly(), m.options(), m.tag()));
            }
        }
        return out;
    }

    /** The box's socket directory (bound at /.krunbox/sock), made private to its owner. */
    public static Path socketDir(Path boxDir) throws IOException {
        Path sockets = boxDir.resolve("sock");
        Files.createDirectories(sockets);
        Files.setPosixFilePermissions(sockets, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return sockets;
    }

    /** Where bwrap is to write its child's pid ({@code --info-fd}), cleared of an earlier start's. */
    public static Path freshInfo(Path boxDir) throws IOException {
        Path info = boxDir.resolve("sandbox.info");
        Files.deleteIfExists(info);
        return info;
    }

    /** guest-init's host pid once bwrap has written it to {@code info} (the process may have ended since). */
    public static OptionalLong childPid(Path info) {
        try {
            Matcher m = CHILD_PID.matcher(Files.readString(info));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        } catch (IOException notYet) {
            return OptionalLong.empty(); // bwrap has not written it yet
        }
    }

    /** Starts the box with its stdout and stderr copied into {@code output}. */
    public BoxProcess start(Path merged, Path boxDir, BoxOutput output) throws IOException {
        return start(merged, boxDir, output, List.of(), null, List.of(), BoxPrivileges.of(null));
    }

    /**
     * As {@link #start(Path, Path, BoxOutput)}, with the box's processes in {@code cgroups} from the
     * first one, in network namespace {@code netns} (null: a private one) with {@code mounts} bound.
     */
    public BoxProcess start(Path merged, Path boxDir, BoxOutput output, List<Path> cgroups, String netns,
                            List<GuestMount> mounts, BoxPrivileges privileges) throws IOException {
        Path sockets = socketDir(boxDir);
        Path info = freshInfo(boxDir);
        // the shell joins the box's cgroups, then becomes bwrap: nothing of the box runs outside them
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c",
                "for g in $KRUNBOX_CGROUPS; do echo $$ > \"$g/cgroup.procs\" || exit 125; done; exec \"$@\" 3>\"$KRUNBOX_INFO\"",
                "sh"));
        cmd.addAll(command(merged, BoxControl.of(boxDir), sockets, netns, resolveTargets(merged, mounts), privileges));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("KRUNBOX_INFO", info.toString());
        pb.environment().put("KRUNBOX_CGROUPS", String.join(" ", cgroups.stream().map(Path::toString).toList()));
        Process bwrap;
        try {
            bwrap = pb.start();
        } catch (IOException e) {
            throw new BoxException("cannot start bubblewrap: " + e.getMessage() + "; install it (apt-get install bubblewrap)");
        }
        Thread out = BoxOutput.pump("box-stdout", bwrap.getInputStream(), output.out());
        Thread err = BoxOutput.pump("box-stderr", bwrap.getErrorStream(), output.err());
        return new Sandbox(bwrap, info, List.of(out, err));
    }

    /** bwrap is the supervisor; guest-init, its child, is the one signalled. */
    static final class Sandbox implements BoxProcess {
        private final Process bwrap;
        private final Path info;
        private final List<Thread> pumps;
        private ProcessHandle init;

        Sandbox(Process bwrap, Path info, List<Thread> pumps) {
            this.bwrap = bwrap;
            this.info = info;
            this.pumps = pumps;
        }

        /** guest-init's host pid, once bwrap has reported it. */
        Optional<ProcessHandle> init() {
            if (init != null) {
                return Optional.of(init);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline && bwrap.isAlive()) {
                OptionalLong pid = childPid(info);
                if (pid.isPresent()) {
                    init = ProcessHandle.of(pid.getAsLong()).orElse(null);
                    return Optional.ofNullable(init);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return Optional.empty();
        }

        @Override
        public boolean isAlive() {
            return bwrap.isAlive();
        }

        @Override
        public int waitFor() throws InterruptedException {
            int status = bwrap.waitFor();
            for (Thread t : pumps) {
                t.join();
            }
            return status;
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            return bwrap.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void terminate() {
            init().ifPresentOrElse(ProcessHandle::destroy, bwrap::destroy);
        }

        @Override
        public void kill() {
            init().ifPresent(ProcessHandle::destroyForcibly);
            bwrap.destroyForcibly();
        }

        @Override
        public long pid() {
            return bwrap.pid();
        }

        @Override
        public Optional<ProcessHandle> initHandle() {
            return init();
        }
    }
}
