package io.krunbox.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazyTrustTest {
    @TempDir Path dir;

    @Test
    void itTrustsWhatTheJdkTrustsAndRefusesAStranger() throws Exception {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init((KeyStore) null);
        X509TrustManager jdk = (X509TrustManager) f.getTrustManagers()[0];
        LazyTrust lazy = new LazyTrust();
        assertThat(lazy.getAcceptedIssuers()).isNotEmpty().hasSameSizeAs(jdk.getAcceptedIssuers());

        Path store = dir.resolve("stranger.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storepass", "secret1", "-alias", "x", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=registry.invalid", "-validity", "2").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "secret1".toCharArray());
        }
        X509Certificate stranger = (X509Certificate) ks.getCertificate("x");
        assertThatThrownBy(() -> lazy.checkServerTrusted(new X509Certificate[] {stranger}, "RSA"))
                .isInstanceOf(CertificateException.class);
        assertThat(LazyTrust.context().getProtocol()).isEqualTo("TLS");
    }
}
