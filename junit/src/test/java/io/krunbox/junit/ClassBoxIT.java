package io.krunbox.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A static @Box: started once for the class, reached over its mapped port, removed after the class. */
@KrunboxTest
class ClassBoxIT {
    static final Set<String> IDS = new HashSet<>();

    @Box
    static BoxContainer web = BoxContainer.of("demo")
            .withCommand("sh", "-c", "mkdir -p /www && echo hello-from-the-box > /www/index.html && exec httpd -f -p 80 -h /www")
            .withExposedPorts(80)
            .withEnv("GREETING", "hi")
            .waitingFor(Wait.forHttp("/index.html").and(Wait.forPort(80)));

    @Test
    void itAnswersOnItsMappedPort() throws Exception {
        IDS.add(web.id());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + web.host() + ":" + web.mappedPort(80) + "/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello-from-the-box\n");
    }

    @Test
    void execSeesTheBoxsEnvironmentAndGivesOutputAndExitCodeApart() {
        IDS.add(web.id());
        ExecResult r = web.exec("sh", "-c", "echo $GREETING; echo oops >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("hi\n");
        assertThat(r.stderr()).isEqualTo("oops\n");
        assertThat(web.name()).startsWith("kbj-");
    }

    @AfterAll
    static void oneBoxServedEveryTest() {
        assertThat(IDS).hasSize(1);
    }
}
