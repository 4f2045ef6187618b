package io.krunbox.runtime.limits;

import io.krunbox.runtime.base.BoxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A box's cgroups (v1: one directory per controller, {@code <controller>/krunbox/<id>}):
 * memory and pids limits and a CFS cpu quota. The launcher joins them before the box's
 * first process starts; they are removed when the box has ended.
 */
public final class BoxCgroup {
    static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final long PERIOD_US = 100_000;
    private final String id;

    public BoxCgroup(String id) {
        this.id = id;
    }

    /** Whether the v1 devices controller is there, so a sandbox box's devices can be limited. */
    public static boolean devicesAvailable() {
        return Files.exists(ROOT.resolve("devices/devices.allow"));
    }

    /** Whether the v1 controllers krunbox uses are mounted here. */
    public static boolean available() {
        return Files.isDirectory(ROOT.resolve("memory")) && Files.isDirectory(ROOT.resolve("pids"))
                && Files.isDirectory(ROOT.resolve("cpu")) && Files.exists(ROOT.resolve("memory/cgroup.procs"));
    }

    /** What a VM's supervisor needs beyond the guest's memory: the VMM, its threads and the shim's JVM. */
    public static final int VM_OVERHEAD_MIB = 384;

    Path dir(String controller) {
        return ROOT.resolve(controller).resolve("krunbox").resolve(id);
    }

    private List<String> controllers() {
        List<String> out = new ArrayList<>(List.of("memory", "pids", "cpu"));
        if (Files.isDirectory(ROOT.resolve("devices")) && Files.exists(ROOT.resolve("devices/devices.allow"))) {
            out.add("devices");
        }
        if (Files.isDirectory(ROOT.resolve("cpuacct")) && !Files.isSymbolicLink(ROOT.resolve("cpuacct"))) {
            out.add("cpuacct");
        }
        if (Files.exists(ROOT.resolve("freezer/freezer.state")) || Files.isDirectory(ROOT.resolve("freezer"))) {
            out.add("freezer");
        }
        return out;
    }

    /**
     * Freezes every process of the box (the freezer controller), so that what the host reads in
     * its root stays as it is meanwhile (commit, diff, snapshot of a running box); returns
     * whether it did. {@link #thaw} lets them run again.
     */
    public boolean freeze() {
        Path state = dir("freezer").resolve("freezer.state");
        if (!Files.exists(state)) {
            return false;
        }
        try {
            Files.writeString(state, "FROZEN");
            for (int i = 0; i < 500; i++) {
                if (Files.readString(state).trim().equals("FROZEN")) {
                    return true;
                }
                Thread.sleep(2);
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        thaw();
        throw new io.krunbox.runtime.base.BoxException("box " + id.substring(0, 12) + " could not be frozen: try again,"
                + " or stop it first");
    }

    public void thaw() {
        try {
            Files.writeString(dir("freezer").resolve("freezer.state"), "THAWED");
        } catch (IOException gone) {
            // the box has ended
        }
    }

    /** Creates the cgroups with the limits; returns the directories a process must join. */
    public List<Path> create(int memoryMib, int pidsLimit, int cpus) {
        return create(memoryMib, pidsLimit, cpus, List.of("a *:* rwm"));
    }

    /**
     * As {@link #create(int, int, int)}, with {@code deviceRules} ({@code devices.allow} lines such as
     * {@code c 1:3 rwm}) the only devices the box's processes may open or make usable; every
     * other device is denied, so a node made with mknod gives nothing that opens.
     */
    public List<Path> create(int memoryMib, int pidsLimit, int cpus, List<String> deviceRules) {
        List<Path> dirs = new ArrayList<>();
        try {
            for (String c : controllers()) {
                Path d = dir(c);
                Files.createDirectories(d);
                dirs.add(d);
            }
            Files.writeString(dir("memory").resolve("memory.limit_in_bytes"), Long.toString((long) memoryMib << 20));
            Files.writeString(dir("pids").resolve("pids.max"), pidsLimit > 0 ? Integer.toString(pidsLimit) : "max");
            Files.writeString(dir("cpu").resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            Files.writeString(dir("cpu").resolve("cpu.cfs_quota_us"), Long.toString(cpus * PERIOD_US));
            if (dirs.contains(dir("devices"))) {
                Files.writeString(dir("devices").resolve("devices.deny"), "a");
                for (String rule : deviceRules) {
                    Files.writeString(dir("devices").resolve("devices.allow"), rule);
                }
            }
            return dirs;
        } catch (IOException e) {
            remove();
            throw new BoxException("cannot set the resource limits of box " + id.substring(0, 12) + " in "
                    + ROOT + ": " + e.getMessage(), e);
        }
    }

    /** Removes the cgroups (they must be empty: the box has ended). */
    public void remove() {
        for (String c : controllers()) {
            try {
                Files.deleteIfExists(dir(c));
            } catch (IOException busy) {
                // a process is still in it; swept with the box
            }
        }
    }

    /** What the box uses now. */
    public record Usage(long cpuNanos, long memoryBytes, long memoryLimit, long pids) {}

    public Usage usage() {
        return new Usage(read("cpuacct", "cpuacct.usage"), read("memory", "memory.usage_in_bytes"),
                read("memory", "memory.limit_in_bytes"), read("pids", "pids.current"));
    }

    private long read(String controller, String file) {
        try {
            return Long.parseLong(Files.readString(dir(controller).resolve(file)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
