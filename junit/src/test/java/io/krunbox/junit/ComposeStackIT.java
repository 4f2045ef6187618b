package io.krunbox.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A compose project for the class: its services reached from Java and from each other by name. */
@KrunboxTest
class ComposeStackIT {
    @Box
    static ComposeStack stack = ComposeStack.of(Path.of("src/test/resources/stack/compose.yaml"))
            .withEnv("GREETING", "from-compose")
            .waitingFor("web", Wait.forHttp("/"))
            .waitingFor("kv", Wait.forPort(6379).and(Wait.forCommand("true")));

    @Test
    void aServicesPublishedPortIsReachedFromTheTest() throws Exception {
        StartedBox web = stack.service("web");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + web.host() + ":" + web.mappedPort(80) + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("from-compose\n");
        assertThat(stack.project()).startsWith("stack-");
    }

    @Test
    void servicesReachEachOtherByName() {
        ExecResult r = stack.service("web").exec("sh", "-c",
                "for i in $(seq 25); do r=$(nc kv 6379 </dev/null) && [ -n \"$r\" ] && echo $r && exit 0; sleep 0.2; done; exit 9");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("kv-ok\n");
    }
}
