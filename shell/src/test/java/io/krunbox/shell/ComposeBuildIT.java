package io.krunbox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compose projects whose services build their images: up builds what is missing, --build rebuilds, compose build. */
class ComposeBuildIT extends SandboxCliTest {
    @TempDir Path dir;

    @Test
    void twoBuiltServicesComeUpInOrderAndOneReachesTheOtherByName() throws Exception {
        Files.createDirectories(dir.resolve("api"));
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("compose.yaml"), """
                name: shop
                services:
                  api:
                    build: ./api
                    healthcheck:
                      test: ["CMD", "test", "-f", "/tmp/ready"]
                      interval: 1s
                      start_period: 10s
                      start_interval: 200ms
                  web:
                    build:
                      context: web
                      args:
                        UPSTREAM: api
                    depends_on:
                      api: {condition: service_healthy}
                """);
        Files.writeString(dir.resolve("api/Dockerfile"), """
                FROM demo
                RUN mkdir -p /www && echo "hello from api" > /www/index.html
                CMD ["sh", "-c", "touch /tmp/ready; exec httpd -f -p 80 -h /www"]
                """);
        Files.writeString(dir.resolve("web/Dockerfile"), """
                FROM demo
                ARG UPSTREAM
                ENV UPSTREAM=$UPSTREAM
                CMD ["sh", "-c", "trap 'exit 0' TERM; while true; do wget -q -O /tmp/got http://$UPSTREAM/; sleep 0.3; done & wait"]
                """);
        String f = dir.resolve("compose.yaml").toString();
        Cli.Result config = ok("compose", "-f", f, "config");
        assertThat(config.out()).contains("build:\n      context: " + dir.resolve("api"), "dockerfile: Dockerfile",
                "args:\n        UPSTREAM: api");
        Cli.Result up = ok("compose", "-f", f, "up", "--wait");
        assertThat(up.err()).contains("building shop-api for service api", "building shop-web for service web");
        String got = "";
        for (int i = 0; i < 50 && !got.contains("hello"); i++) {
            got = cli.run("compose", "-f", f, "exec", "web", "cat", "/tmp/got").out();
            Thread.sleep(200);
        }
        assertThat(got).isEqualTo("hello from api\n");
        assertThat(ok("images").out()).contains("shop-api", "shop-web");
        // up again builds nothing (the images are there); --build rebuilds, from the cache
        assertThat(ok("compose", "-f", f, "up", "--wait").err()).doesNotContain("building");
        assertThat(ok("compose", "-f", f, "up", "--build", "--wait").err()).contains("building shop-api");
        assertThat(ok("compose", "-f", f, "build", "web").err()).contains("building shop-web").doesNotContain("shop-api");
        ok("compose", "-f", f, "down");
        ok("rmi", "shop-api", "shop-web");
        Cli.Result noBuild = cli.run("compose", "-f", f, "up", "--no-build", "-d");
        assertThat(noBuild.exit()).isEqualTo(125);
        assertThat(noBuild.err()).contains("--no-build forbids building it: run compose build first");
    }
}
