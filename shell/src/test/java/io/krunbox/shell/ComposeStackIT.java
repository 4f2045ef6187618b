package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compose project of real servers from Debian's packages (nginx, redis-server, postgresql),
 * brought up and down as sandbox boxes, networking inside the test's namespace.
 */
class ComposeStackIT extends SandboxCliTest {
    @TempDir Path work;

    @Test
    void nginxRedisAndPostgresComeUpTalkByNameKeepTheirDataAndGoDownWithoutATrace() throws Exception {
        Path images = HostParts.serviceImages();
        Path file = work.resolve("compose.yaml");
        Files.copy(ComposeIT.PROJECTS.resolve("stack/compose.yaml"), file);
        Files.writeString(work.resolve(".env"), "SERVICE_IMAGES=" + images + "\nDB_PASSWORD=s3cret\n");
        String f = file.toString();
        String before = HostCommand.run("ip", "-n", HostParts.testNetns(), "-o", "link", "show");

        Cli.Result up = ok("compose", "-f", f, "up", "-d", "--wait");
        // web waited for the database's health check (pg_isready), not only for its start
        String err = up.err();
        assertThat(err.indexOf("Box stack-db-1  Healthy")).isNotNegative()
                .isLessThan(err.indexOf("Box stack-web-1  Started"));
        assertThat(ok("inspect", "stack-db-1").out()).contains("\"healthy\"");

        // the web box reaches the others by service name and alias, with the real clients
        assertThat(ok("exec", "stack-web-1", "redis-cli", "-h", "kv", "set", "greeting", "hello").out()).isEqualTo("OK\n");
        assertThat(ok("exec", "stack-web-1", "redis-cli", "-h", "kv", "get", "greeting").out()).isEqualTo("hello\n");
        ok("exec", "stack-web-1", "psql", "-h", "db", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qc",
                "create table orders (id int primary key, item text); insert into orders values (1, 'tea')");
        assertThat(ok("exec", "stack-web-1", "psql", "-h", "database", "-U", "postgres", "-Atc",
                "select item from orders").out()).isEqualTo("tea\n");
        // the published port answers from the host (loopback of the test's namespace)
        HostCommand.Result page = HostCommand.tryRun("ip", "netns", "exec", HostParts.testNetns(), "busybox", "wget",
                "-qO-", "http://127.0.0.1:18091/");
        assertThat(page.output()).isEqualTo("served by nginx\n");
        // kv and db sit on an internal network only: the web box is their one way in
        assertThat(ok("network", "inspect", "stack_back").out()).contains("\"Internal\" : true");

        // down keeps named volumes: the database comes back with its table
        ok("compose", "-f", f, "down");
        assertThat(ok("volume", "ls", "-q").out()).contains("stack_pgdata");
        ok("compose", "-f", f, "up", "-d", "--wait");
        assertThat(ok("exec", "stack-web-1", "psql", "-h", "db", "-U", "postgres", "-Atc",
                "select count(*) from orders").out()).isEqualTo("1\n");

        ComposeIT.downLeavesNothing(this, f, "stack", before);
        assertThat(HostCommand.run("ip", "-n", HostParts.testNetns(), "-o", "link", "show"))
                .doesNotContain("stack");
    }
}
