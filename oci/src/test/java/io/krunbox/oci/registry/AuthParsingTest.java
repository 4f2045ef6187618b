package io.krunbox.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthParsingTest {
    @Test
    void bearerChallengeInAnyOrder() {
        WwwAuthenticate a = WwwAuthenticate.parse(
                "Bearer scope=\"repository:library/busybox:pull\",service=\"registry.docker.io\",realm=\"https://auth.docker.io/token\"");
        assertThat(a.scheme()).isEqualTo("bearer");
        assertThat(a.param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(a.param("service")).isEqualTo("registry.docker.io");
        assertThat(a.param("scope")).isEqualTo("repository:library/busybox:pull");
    }

    @Test
    void unquotedValuesEscapesAndBasic() {
        WwwAuthenticate a = WwwAuthenticate.parse("Bearer realm=https://r.example/token, service=reg, error=\"a \\\"b\\\"\"");
        assertThat(a.param("realm")).isEqualTo("https://r.example/token");
        assertThat(a.param("service")).isEqualTo("reg");
        assertThat(a.param("error")).isEqualTo("a \"b\"");
        assertThat(WwwAuthenticate.parse("Basic realm=\"Registry Realm\"").scheme()).isEqualTo("basic");
    }

    @Test
    void credentialsComeFromKrunboxFirstThenDocker(@TempDir Path tmp) throws Exception {
        Path docker = tmp.resolve("config.json");
        String both = Base64.getEncoder().encodeToString("dockeruser:dockerpass".getBytes(StandardCharsets.UTF_8));
        Files.writeString(docker, "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + both + "\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + both + "\"}}}");
        CredentialStore store = new CredentialStore(tmp.resolve("auth.json"), docker);
        assertThat(store.lookup("ghcr.io")).contains(new Credentials("dockeruser", "dockerpass"));
        assertThat(store.lookup("docker.io")).contains(new Credentials("dockeruser", "dockerpass"));
        assertThat(store.lookup("quay.io")).isEmpty();
        store.save("ghcr.io", new Credentials("mine", "p:w"));
        assertThat(store.lookup("ghcr.io")).contains(new Credentials("mine", "p:w"));
        assertThat(store.remove("ghcr.io")).isTrue();
        assertThat(store.lookup("ghcr.io")).contains(new Credentials("dockeruser", "dockerpass"));
    }
}
