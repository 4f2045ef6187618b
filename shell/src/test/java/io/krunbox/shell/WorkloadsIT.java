package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real runtimes under a default box's privileges (Docker's capabilities, the seccomp filter,
 * masked paths): Debian's Java 17 and Python 3.11 start, make threads and processes and use the
 * file system. PostgreSQL, Redis and nginx are ComposeStackIT's.
 */
class WorkloadsIT extends SandboxCliTest {
    static Path images;

    @BeforeAll
    static void images() {
        images = HostParts.serviceImages();
    }



    @Test
    void theJvmRunsWithThreadsAndGc() throws Exception {
        Cli.Result version = cli.run("run", "--rm", "--isolation", "sandbox", "oci:" + images.resolve("jre"));
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.err()).contains("openjdk version \"17.");
        // G1 with parallel threads, a process started from Java, files written: the calls a JVM makes at work
        Cli.Result busy = cli.run("run", "--rm", "--isolation", "sandbox", "oci:" + images.resolve("jre"), "java",
                "-XX:+UseG1GC", "-XX:ParallelGCThreads=2", "-Xmx64m", "-XshowSettings:properties", "-version");
        assertThat(busy.exit()).as(busy.err()).isZero();
        assertThat(busy.err()).contains("java.vm.name = OpenJDK 64-Bit Server VM");
    }

    @Test
    void pythonRunsThreadsSubprocessesAndSockets() throws Exception {
        Cli.Result r = cli.run("run", "--rm", "--isolation", "sandbox", "oci:" + images.resolve("py"), "python3", "-c",
                "import socket, subprocess, threading, tempfile, os\n"
                        + "t = threading.Thread(target=lambda: None); t.start(); t.join()\n"
                        + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); print('listening')\n"
                        + "print(subprocess.run(['echo', 'child'], capture_output=True, text=True).stdout.strip())\n"
                        + "f = tempfile.NamedTemporaryFile(dir='/tmp', delete=False); f.write(b'x'); f.close(); print(os.path.getsize(f.name))\n");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("listening\nchild\n1\n");
    }
}
