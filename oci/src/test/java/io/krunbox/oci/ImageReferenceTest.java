package io.krunbox.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    static final String D = "sha256:abababababababababababababababababababababababababababababababab";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "busybox|docker.io/library/busybox:latest|busybox",
            "busybox:1.36|docker.io/library/busybox:1.36|busybox",
            "library/busybox|docker.io/library/busybox:latest|busybox",
            "docker.io/busybox|docker.io/library/busybox:latest|busybox",
            "myorg/app:v1.2-rc_3|docker.io/myorg/app:v1.2-rc_3|myorg/app",
            "ghcr.io/org/team/app:2|ghcr.io/org/team/app:2|ghcr.io/org/team/app",
            "127.0.0.1:5000/app:1|127.0.0.1:5000/app:1|127.0.0.1:5000/app",
            "localhost/app|localhost/app:latest|localhost/app",
            "localhost:5000/a.b__c-d/e|localhost:5000/a.b__c-d/e:latest|localhost:5000/a.b__c-d/e",
            "[::1]:5000/app:x|[::1]:5000/app:x|[::1]:5000/app",
    })
    void parsesDockersGrammar(String text, String canonical, String familiar) {
        ImageReference r = ImageReference.parse(text);
        assertThat(r.toString()).isEqualTo(canonical);
        assertThat(r.familiarName()).isEqualTo(familiar);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "busybox@" + D + "|docker.io/library/busybox@" + D,
            "127.0.0.1:5000/app:1@" + D + "|127.0.0.1:5000/app:1@" + D,
    })
    void parsesDigests(String text, String canonical) {
        ImageReference r = ImageReference.parse(text);
        assertThat(r.toString()).isEqualTo(canonical);
        assertThat(r.manifestKey()).isEqualTo(D);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|it is empty",
            "Busybox|\"Busybox\" is not a valid name component",
            "app:|tag \"\" may only use",
            "app:bad/tag|\"app:bad\" is not a registry host[:port]",
            "app@sha256:123|\"sha256:123\" is not a sha256 digest",
            "app@md5:" + "ab|is not a sha256 digest",
            "host:99999999999x/app|is not a registry host[:port]",
            "a//b|\"\" is not a valid name component",
            "-app|\"-app\" is not a valid name component",
    })
    void rejectsWithAReason(String text, String reason) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isInstanceOf(ImageReference.InvalidReferenceException.class)
                .hasMessageStartingWith("invalid image reference \"" + text + "\": ")
                .hasMessageContaining(reason);
    }
}
