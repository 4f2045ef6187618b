package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code krunbox} command (this build's classes) as a child process against one home. */
final class Cli {
    private final Path home;
    private final java.util.Map<String, String> env;

    Cli(Path home) {
        this(home, java.util.Map.of());
    }

    private Cli(Path home, java.util.Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** The same command with one more environment variable. */
    Cli with(String name, String value) {
        java.util.Map<String, String> more = new java.util.HashMap<>(env);
        more.put(name, value);
        return new Cli(home, more);
    }

    record Result(int exit, String out, String err) {}

    /** The test JVM's class path without the test-only libraries (ArchUnit and its SLF4J would warn on stderr). */
    static String productClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("/com/tngtech/") && !e.contains("/org/slf4j/"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(client().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(environment());
        return pb.start();
    }

    /** The variables a call gets on top of the test JVM's own. */
    java.util.Map<String, String> environment() throws IOException {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("KRUNBOX_HOME", home.toString());
        all.put("KRUNBOX_NETNS", HostParts.testNetns());
        all.put("KRUNBOX_JVM", launcher().toString());
        all.put("KRUNBOX_SERVER_IDLE", "30s");
        all.putAll(env);
        return all;
    }

    private static Path tools;

    /**
     * The krunbox command as users get it: the native client (from guest-init's build), which
     * starts a warm server of this build's classes through a launcher written for the test JVM,
     * or runs the call in a JVM of its own with KRUNBOX_SERVER=0.
     */
    static synchronized Path client() throws IOException {
        if (tools == null) {
            Path dir = Files.createTempDirectory("krunbox-cli-");
            Path client = dir.resolve("krunbox");
            try (var in = Cli.class.getResourceAsStream("/io/krunbox/guestinit/krunbox-client")) {
                if (in == null) {
                    throw new IllegalStateException("krunbox-client is not on the test class path: build guest-init");
                }
                Files.copy(in, client);
            }
            Files.setPosixFilePermissions(client, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            // -XX:-UsePerfData: no /tmp/hsperfdata file, whose warning (a pid another JVM of the run still holds) lands on stdout
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String script = "#!/bin/sh\n"
                    + "if [ \"${KRUNBOX_SERVING:-}\" = 1 ]; then opts='-XX:+UseSerialGC --add-opens java.base/java.io=ALL-UNNAMED';"
                    + " else opts='-XX:+UseSerialGC -XX:TieredStopAtLevel=1'; fi\n"
                    + "exec '" + javaBin + "' $opts -XX:-UsePerfData '-Dkrunbox.demo.image=" + HostParts.demoImage().toAbsolutePath()
                    + "' -cp '" + productClassPath() + "' " + Main.class.getName() + " \"$@\"\n";
            Path launcher = dir.resolve("krunbox-jvm");
            Files.writeString(launcher, script);
            Files.setPosixFilePermissions(launcher, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            // this test JVM's build: a server another run left for the same home is replaced
            Files.writeString(dir.resolve("krunbox-jvm.id"), ProcessHandle.current().pid() + "-" + System.nanoTime() + "\n");
            tools = dir;
        }
        return tools.resolve("krunbox");
    }

    /** The JVM launcher the client starts the server with. */
    static Path launcher() throws IOException {
        return client().resolveSibling("krunbox-jvm");
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(new byte[0], args);
    }

    /** As {@link #run(String...)}, with {@code input} on the command's stdin. */
    Result run(byte[] input, String... args) throws IOException, InterruptedException {
        Process p = start(args);
        try (var in = p.getOutputStream()) {
            in.write(input);
        } catch (IOException closedEarly) {
            // the command ended without reading it all: its output says what it did
        }
        CompletableFuture<String> out = read(p, true);
        CompletableFuture<String> err = read(p, false);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("krunbox %s ended", String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), out.join(), err.join());
    }

    static CompletableFuture<String> read(Process p, boolean stdout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String((stdout ? p.getInputStream() : p.getErrorStream()).readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
    }

    /** What a box can leave behind: processes, mounts and directories tied to this home or to boxes. */
    List<String> leftovers() throws IOException {
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> ph.info().commandLine().ifPresent(c -> {
            if (ph.pid() != ProcessHandle.current().pid() && (c.contains("/.krunbox/init") || c.contains("KrunShim")
                    || c.contains(home + "/bin/krunbox-vmm") || c.contains("bwrap --bind " + home) || c.contains(home + "/bin/krunbox-monitor"))) {
                found.add("process " + ph.pid() + ": " + c);
            }
        }));
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (line.contains(home.toString())) {
                found.add("mount " + line);
            }
        }
        Path boxes = home.resolve("boxes");
        if (Files.isDirectory(boxes)) {
            try (var dirs = Files.list(boxes)) {
                dirs.forEach(d -> found.add("box dir " + d));
            }
        }
        return found;
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
