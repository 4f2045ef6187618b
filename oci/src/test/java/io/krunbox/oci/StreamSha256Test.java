package io.krunbox.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamSha256Test {
    @Test
    void aLargeStreamHashesAsTheJdkDoesWhicheverImplementationRuns() {
        byte[] data = new byte[(3 << 20) + 17];
        new Random(42).nextBytes(data);
        MessageDigest jdk = Digest.newSha256();
        MessageDigest large = StreamSha256.forStream(StreamSha256.WORTH_SETTING_UP);
        MessageDigest small = StreamSha256.forStream(100);
        for (int off = 0; off < data.length; off += 65536) {
            int n = Math.min(65536, data.length - off);
            jdk.update(data, off, n);
            large.update(data, off, n);
            small.update(data, off, n);
        }
        byte[] expected = jdk.digest();
        assertThat(large.digest()).isEqualTo(expected);
        assertThat(small.digest()).isEqualTo(expected);
        // a small stream never pays for setting NSS up
        assertThat(small.getProvider().getName()).isEqualTo("SUN");
    }

    @Test
    void onADebianJdkWithNssTheLargeStreamsUseIt() {
        boolean nss = java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libsoftokn3.so"));
        org.junit.jupiter.api.Assumptions.assumeTrue(nss, "no libsoftokn3 on this host");
        assertThat(StreamSha256.provider()).isNotNull();
        assertThat(StreamSha256.forStream(-1).getProvider().getName()).startsWith("SunPKCS11");
    }
}
