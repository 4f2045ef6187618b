package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Groovy scripts through the real CLI: the imperative API end to end, and a DSL topology up and down. */
class ScriptIT extends SandboxCliTest {
    @TempDir Path work;

    @Test
    void theImperativeApiRunsExecsReadsLogsStopsAndRemoves() throws Exception {
        Path script = work.resolve("api.groovy");
        Files.writeString(script, """
                #!/usr/bin/env krunbox script
                def b = boxes.run('demo') { command 'sh', '-c', 'echo started; sleep 600'; name 'tmp' }
                def r = b.exec('sh', '-c', 'echo out; echo err >&2; exit 3')
                println "exit=${r.exitCode} out=${r.stdout.trim()} err=${r.stderr.trim()}"
                Thread.sleep(300)
                b.logs().each { println "log: $it" }
                b.stop()
                println "status=${b.status}"
                b.remove()
                println "args=${args}"
                """);
        Cli.Result r = cli.run("script", script.toString(), "one", "two");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("exit=3 out=out err=err", "log: started", "status=exited", "args=[one, two]");
        assertThat(cli.run("ps", "-aq").out()).isEmpty();
    }

    @Test
    void aDslTopologyComesUpAndGoesDownLikeItsComposeTwin() throws Exception {
        Path script = work.resolve("pair.groovy");
        Files.writeString(script, """
                topology('pair') {
                    box('server') { image 'demo'; command 'sh', '-c', 'while true; do nc -l -p 7000 -e echo pong; done' }
                    box('client') { image 'demo'; command 'sleep', '600'; dependsOn 'server' }
                }
                """);
        // the top-level shortcut: krunbox up -f FILE (compose up, for scripts as for compose files)
        Cli.Result up = cli.run("up", "-d", "-f", script.toString(), "--wait");
        assertThat(up.exit()).as(up.err()).isZero();
        assertThat(cli.run("exec", "pair-client-1", "sh", "-c", "nc server 7000 </dev/null").out()).isEqualTo("pong\n");
        assertThat(cli.run("script", "--compose", script.toString()).out()).contains("name: pair", "condition: service_started");
        assertThat(cli.run("compose", "-f", script.toString(), "ps", "-q").out().lines().count()).isEqualTo(2);
        Cli.Result down = cli.run("down", "-f", script.toString());
        assertThat(down.exit()).as(down.err()).isZero();
        assertThat(cli.run("ps", "-aq").out()).isEmpty();
        Files.writeString(script, "topology('bad') {\n  box('a') {\n    imgae 'demo'\n  }\n}\n");
        Cli.Result bad = cli.run("script", script.toString());
        assertThat(bad.exit()).isEqualTo(125);
        assertThat(bad.err()).contains("pair.groovy:3: unknown word \"imgae\"; valid here: build, capAdd, capDrop, command,");
    }

    @Test
    void aScriptLoadsATopologyBringsItUpAsksItAndTakesItDown() throws Exception {
        Files.writeString(work.resolve("web.groovy"), """
                topology('site') {
                    box('web') {
                        image 'demo'
                        command 'sh', '-c', 'mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 80 -h /www'
                        ports '127.0.0.1:18095:80'
                    }
                }
                """);
        Path script = work.resolve("drive.groovy");
        Files.writeString(script, """
                def t = load('web.groovy')
                t.up(wait: true)
                println "port=${t.box('web').port(80)}"
                println "status=${t.box('web').status}"
                t.down(volumes: true)
                println "boxes=${boxes.list().size()}"
                """);
        Cli.Result r = cli.run("script", script.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("port=18095", "status=running", "boxes=0");
    }
}
