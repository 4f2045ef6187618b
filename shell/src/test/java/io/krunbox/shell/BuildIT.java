package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.base.HostCommand;
import io.krunbox.runtime.testing.HostParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code krunbox build} for real: RUN steps in sandbox boxes, layers into the store, the
 * images run; the cache; whiteouts as umoci unpacks them; bad input that leaves nothing behind.
 */
class BuildIT extends SandboxCliTest {
    static final String MULTI_STAGE = """
            # syntax=docker/dockerfile:1
            ARG BASE=demo
            FROM ${BASE} AS builder
            ARG GREETING=hello
            ENV APP_HOME=/app
            WORKDIR $APP_HOME
            COPY greet.txt ./
            RUN <<EOF
            cat greet.txt > out.txt
            echo "${GREETING:-none} from the builder" >> out.txt
            EOF

            FROM demo
            LABEL org.example.title="greeter" version=1.0
            COPY --from=builder /app/out.txt /srv/out.txt
            COPY --chown=1000:1000 --chmod=640 notes/keep.txt /srv/notes/
            COPY notes/ /srv/all/
            RUN adduser -D -u 1000 app 2>/dev/null || true
            USER 1000:1000
            WORKDIR /srv
            EXPOSE 8080
            STOPSIGNAL SIGQUIT
            HEALTHCHECK --interval=5s --retries=2 CMD test -f /srv/out.txt
            CMD ["sh", "-c", "cat /srv/out.txt; id -u; pwd; ls /srv/notes; stat -c '%u %a' /srv/notes/keep.txt; ls /srv/all"]
            """;

    @TempDir Path ctx;

    void context(String dockerfile) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        Files.writeString(ctx.resolve("greet.txt"), "greetings\n");
        Files.createDirectories(ctx.resolve("notes"));
        Files.writeString(ctx.resolve("notes/keep.txt"), "kept\n");
        Files.writeString(ctx.resolve("notes/drop.log"), "dropped\n");
        Files.writeString(ctx.resolve(".dockerignore"), "**/*.log\n");
    }

    JsonNode inspect(String image) throws Exception {
        return new ObjectMapper().readTree(ok("image", "inspect", image).out()).get(0);
    }

    @Test
    void aMultiStageBuildRunsItsStepsInBoxesAndTheImageRunsAsWritten() throws Exception {
        context(MULTI_STAGE);
        Cli.Result b = ok("build", "-t", "greeter:1", "--build-arg", "GREETING=hi", "--network", "none", ctx.toString());
        assertThat(b.out()).contains("STEP 1/18: FROM demo AS builder", "Successfully tagged docker.io/library/greeter:1");
        Cli.Result r = ok("run", "--rm", "--network", "none", "greeter:1");
        assertThat(r.out()).isEqualTo("greetings\nhi from the builder\n1000\n/srv\nkeep.txt\n1000 640\nkeep.txt\n");
        JsonNode c = inspect("greeter:1").get("Config");
        assertThat(c.get("User").asText()).isEqualTo("1000:1000");
        assertThat(c.get("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(c.get("Labels").get("org.example.title").asText()).isEqualTo("greeter");
        assertThat(c.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.get("Healthcheck").get("Test").toString()).isEqualTo("[\"CMD-SHELL\",\"test -f /srv/out.txt\"]");
        assertThat(c.get("Healthcheck").get("Retries").asInt()).isEqualTo(2);
        // --target: that stage and what it needs, nothing after it
        Cli.Result t = ok("build", "-t", "builder:1", "--target", "builder", "--network", "none", ctx.toString());
        assertThat(t.out()).doesNotContain("STEP 7/");
        assertThat(inspect("builder:1").get("Config").get("Env").toString()).contains("APP_HOME=/app");
        assertThat(ok("run", "--rm", "--network", "none", "builder:1", "cat", "/app/out.txt").out())
                .isEqualTo("greetings\nhello from the builder\n");
    }

    @Test
    void aSecondBuildIsAllCacheAndOneChangedFileRerunsFromItsStepOnly() throws Exception {
        context("""
                FROM demo
                RUN echo base > /base.txt
                COPY greet.txt /greet.txt
                RUN cat /greet.txt > /copy.txt
                COPY notes/keep.txt /keep.txt
                RUN cat /keep.txt > /last.txt
                """);
        String first = ok("build", "-q", "-t", "cached:1", "--network", "none", ctx.toString()).out().strip();
        Cli.Result again = ok("build", "-t", "cached:1", "--network", "none", ctx.toString());
        assertThat(again.out()).contains("(0 steps run, 5 from the cache)").endsWith(first + "\n");
        Files.writeString(ctx.resolve("notes/keep.txt"), "changed\n");
        Cli.Result changed = ok("build", "-t", "cached:2", "--network", "none", ctx.toString());
        assertThat(changed.out()).contains("(2 steps run, 3 from the cache)");
        assertThat(ok("run", "--rm", "--network", "none", "cached:2", "cat", "/last.txt", "/copy.txt").out())
                .isEqualTo("changed\ngreetings\n");
        Cli.Result none = ok("build", "--no-cache", "-t", "cached:3", "--network", "none", ctx.toString());
        assertThat(none.out()).contains("(5 steps run, 0 from the cache)");
    }

    @Test
    void aBindMountShowsACopyOfTheContextWithoutWhatItIgnoresAndWritesNeverReachIt() throws Exception {
        context("FROM demo\nRUN --mount=type=bind,source=.,target=/ctx,rw ls -R /ctx > /seen && echo x > /ctx/written.txt\n");
        ok("build", "-t", "bound:1", "--network", "none", ctx.toString());
        String seen = ok("run", "--rm", "--network", "none", "bound:1", "cat", "/seen").out();
        assertThat(seen).contains("greet.txt", "keep.txt").doesNotContain("drop.log");
        assertThat(ctx.resolve("written.txt")).as("the context is never written").doesNotExist();
    }

    @Test
    void independentStagesBuildAtOnce() throws Exception {
        // /proc/uptime is the host's (in hundredths of a second): the two boxes' clocks are one
        context("FROM demo AS a\nRUN cut -d' ' -f1 /proc/uptime > /start; sleep 2; cut -d' ' -f1 /proc/uptime > /end\n"
                + "FROM demo AS b\nRUN cut -d' ' -f1 /proc/uptime > /start; sleep 2; cut -d' ' -f1 /proc/uptime > /end\n"
                + "FROM demo\nCOPY --from=a /start /a.start\nCOPY --from=a /end /a.end\n"
                + "COPY --from=b /start /b.start\nCOPY --from=b /end /b.end\n");
        ok("build", "-t", "waves:1", "--network", "none", ctx.toString());
        String[] t = ok("run", "--rm", "--network", "none", "waves:1", "cat", "/a.start", "/a.end", "/b.start", "/b.end")
                .out().strip().split("\n");
        double aStart = Double.parseDouble(t[0]), aEnd = Double.parseDouble(t[1]);
        double bStart = Double.parseDouble(t[2]), bEnd = Double.parseDouble(t[3]);
        assertThat(aStart < bEnd && bStart < aEnd).as("the two stages' RUN steps overlapped in time").isTrue();
    }

    @Test
    void aPythonServiceImageFromDebiansPackagesIsABaseToo() throws Exception {
        Path py = HostParts.serviceImages().resolve("py");
        Files.writeString(ctx.resolve("app.py"), "print('built', open('/stamp').read().strip())\n");
        context("ARG BASE\nFROM ${BASE}\nRUN python3 -c \"open('/stamp', 'w').write('by RUN')\"\nCOPY app.py /srv/app.py\n"
                + "CMD [\"python3\", \"/srv/app.py\"]\n");
        ok("build", "-t", "pyapp:1", "--build-arg", "BASE=oci:" + py.toAbsolutePath(), "--network", "none", ctx.toString());
        assertThat(ok("run", "--rm", "--network", "none", "pyapp:1").out()).isEqualTo("built by RUN\n");
    }

    @Test
    void aCacheMountOutlivesTheBuildAndIsNotInTheImage() throws Exception {
        context("""
                FROM demo
                RUN --mount=type=cache,target=/cache echo run >> /cache/runs && wc -l < /cache/runs > /seen
                """);
        ok("build", "-t", "mounted:1", "--network", "none", ctx.toString());
        ok("build", "--no-cache", "-t", "mounted:2", "--network", "none", ctx.toString());
        assertThat(ok("run", "--rm", "--network", "none", "mounted:2", "sh", "-c", "cat /seen; ls /cache | wc -l").out()
                .replace(" ", "")).isEqualTo("2\n0\n");
        ok("builder", "prune");
        ok("build", "--no-cache", "-t", "mounted:3", "--network", "none", ctx.toString());
        assertThat(ok("run", "--rm", "--network", "none", "mounted:3", "cat", "/seen").out().strip()).isEqualTo("1");
    }

    @Test
    void deletionsAndAReplacedDirectoryAreWhiteoutsThatUmociUnpacksToTheSameTree() throws Exception {
        context("""
                FROM demo
                RUN mkdir -p /data/old && echo a > /data/old/a && echo keep > /data/keep && echo gone > /gone
                RUN rm /gone && rm -rf /data/old && mkdir /data/old && echo b > /data/old/b
                """);
        ok("build", "-t", "whiteouts:1", "--network", "none", ctx.toString());
        String inBox = ok("run", "--rm", "--network", "none", "whiteouts:1", "sh", "-c",
                "ls /gone 2>&1; find /data | sort").out();
        assertThat(inBox).contains("No such file", "/data/keep", "/data/old/b").doesNotContain("/data/old/a");
        Path tar = ctx.resolve("image.tar");
        ok("save", "-o", tar.toString(), "whiteouts:1");
        Path layout = ctx.resolve("layout");
        HostCommand.run("skopeo", "copy", "-q", "oci-archive:" + tar, "oci:" + layout + ":t");
        Path bundle = ctx.resolve("bundle");
        HostCommand.run("umoci", "unpack", "--image", layout + ":t", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        assertThat(rootfs.resolve("gone")).doesNotExist();
        assertThat(rootfs.resolve("data/old/a")).doesNotExist();
        assertThat(rootfs.resolve("data/old/b")).hasContent("b");
        assertThat(rootfs.resolve("data/keep")).hasContent("keep");
        try (Stream<Path> s = Files.walk(rootfs)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
        }
    }

    @Test
    void badInputSaysWhatAndWhereAndLeavesNothingBehind() throws Exception {
        Cli.Result missing = cli.run("build", ctx.resolve("nowhere").toString());
        assertThat(missing.exit()).isEqualTo(125);
        assertThat(missing.err()).contains("build context").contains("is not a directory");
        context("FROM demo\nCOPY ../outside.txt /x\n");
        Cli.Result outside = cli.run("build", "--network", "none", ctx.toString());
        assertThat(outside.exit()).isEqualTo(125);
        assertThat(outside.err()).contains("Dockerfile:2:1:", "outside the build context");
        context("FROM demo\nCOPY notes/drop.log /x\n");
        assertThat(cli.run("build", "--network", "none", ctx.toString()).err())
                .contains("Dockerfile:2:1:", "excluded by .dockerignore");
        context("FROM demo\nCOPY --from=nowhere /x /x\n");
        assertThat(cli.run("build", "--network", "none", ctx.toString()).err())
                .contains("Dockerfile:2:1:", "--from=nowhere is neither a stage nor an image");
        context("FROM demo AS one\nRUN true\n");
        assertThat(cli.run("build", "--target", "two", "--network", "none", ctx.toString()).err())
                .contains("target stage \"two\" is not in Dockerfile: name one of one");
        context("FROM demo\nRUN echo before\nRUN echo failing; exit 3\nRUN echo never\n");
        Cli.Result failed = cli.run("build", "-t", "broken:1", "--network", "none", ctx.toString());
        assertThat(failed.exit()).isEqualTo(3);
        assertThat(failed.out()).contains("failing").doesNotContain("never");
        assertThat(failed.err()).contains("Dockerfile:3: RUN failed: \"/bin/sh -c echo failing; exit 3\" exited with 3");
        assertThat(ok("ps", "-a", "-q").out()).isBlank();
        assertThat(cli.run("image", "inspect", "broken:1").exit()).isNotZero();
        try (Stream<Path> s = Files.list(Files.createDirectories(home.resolve("tmp")))) {
            assertThat(s).as("no scratch left").isEmpty();
        }
        assertThat(ok("image", "verify").exit()).isZero();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(home.toString()));
    }

    @Test
    void onbuildTriggersRunInTheChildAndAddFetchesUrlsAndUnpacksTars() throws Exception {
        Path served = Files.createDirectories(ctx.resolve("served"));
        Files.writeString(served.resolve("remote.txt"), "from the server\n");
        String sum = "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("from the server\n".getBytes()));
        int port = io.krunbox.oci.testing.LocalRegistry.freePort();
        Process http = new ProcessBuilder("python3", "-m", "http.server", "--bind", "127.0.0.1", Integer.toString(port))
                .directory(served.toFile()).redirectErrorStream(true).redirectOutput(ctx.resolve("http.log").toFile()).start();
        try {
            for (int i = 0; i < 100; i++) {
                try (var sock = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(50);
                }
            }
            Path tarDir = Files.createDirectories(ctx.resolve("tree/sub"));
            Files.writeString(tarDir.resolve("inner.txt"), "inside the tar\n");
            HostCommand.run("tar", "-czf", ctx.resolve("bundle.tar.gz").toString(), "-C", ctx.resolve("tree").toString(), "sub");
            context("FROM demo\nONBUILD RUN echo triggered > /onbuild.txt\nCMD [\"true\"]\n");
            ok("build", "-t", "parent:1", "--network", "none", ctx.toString());
            Files.writeString(ctx.resolve("Dockerfile"), "FROM parent:1\n"
                    + "ADD --checksum=" + sum + " http://127.0.0.1:" + port + "/remote.txt /fetched/\n"
                    + "ADD bundle.tar.gz /unpacked/\n");
            ok("build", "-t", "child:1", "--network", "none", ctx.toString());
            assertThat(ok("run", "--rm", "--network", "none", "child:1", "cat", "/onbuild.txt", "/fetched/remote.txt",
                    "/unpacked/sub/inner.txt").out()).isEqualTo("triggered\nfrom the server\ninside the tar\n");
            assertThat(inspect("child:1").get("Config").has("OnBuild")).as("triggers are not passed on").isFalse();
            Files.writeString(ctx.resolve("Dockerfile"), "FROM demo\nADD --checksum=sha256:" + "0".repeat(64)
                    + " http://127.0.0.1:" + port + "/remote.txt /x\n");
            Cli.Result bad = cli.run("build", "--network", "none", ctx.toString());
            assertThat(bad.exit()).isEqualTo(125);
            assertThat(bad.err()).contains("Dockerfile:2:1: ADD http://127.0.0.1:" + port + "/remote.txt: the download's"
                    + " digest is " + sum);
        } finally {
            http.destroy();
        }
    }

    @Test
    void dryRunPrintsTheStagesAndStepsAndBuildsNothing() throws Exception {
        context(MULTI_STAGE);
        Cli.Result plan = ok("build", "--dry-run", "-t", "planned:1", "--target", "builder", ctx.toString());
        assertThat(plan.out()).startsWith("plan: build docker.io/library/planned:1 for linux/amd64, 1 of 2 stages")
                .contains("stage builder: FROM demo", "RUN <<EOF  -> runs in a box");
        assertThat(cli.run("image", "inspect", "planned:1").exit()).isNotZero();
        assertThat(HostParts.demoImage()).exists();
    }
}
