package io.krunbox.oci.registry;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's default trust (cacerts, or {@code javax.net.ssl.trustStore}), loaded at the first
 * TLS handshake instead of when the HTTP client is made: parsing the ~140 certificates costs a
 * pull from a plain-HTTP registry ~30 ms before its first request, for nothing.
 */
final class LazyTrust extends X509ExtendedTrustManager {
    private volatile X509ExtendedTrustManager real;

    /** A TLS context with this trust, or the JDK's default one when client certificates are configured. */
    static SSLContext context() {
        try {
            if (System.getProperty("javax.net.ssl.keyStore") != null) {
                return SSLContext.getDefault();
            }
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new LazyTrust()}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK: " + e.getMessage(), e);
        }
    }

    private X509ExtendedTrustManager real() throws CertificateException {
        X509ExtendedTrustManager r = real;
        if (r == null) {
            synchronized (this) {
                if (real == null) {
                    try {
                        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                        f.init((KeyStore) null);
                        for (TrustManager t : f.getTrustManagers()) {
                            if (t instanceof X509ExtendedTrustManager x) {
                                real = x;
                                break;
                            }
                        }
                    } catch (GeneralSecurityException e) {
                        throw new CertificateException("cannot load the trusted certificates: " + e.getMessage(), e);
                    }
                    if (real == null) {
                        throw new CertificateException("the JDK has no X.509 trust manager");
                    }
                }
                r = real;
            }
        }
        return r;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        real().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        real().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        real().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        real().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        real().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        real().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        try {
            return real().getAcceptedIssuers();
        } catch (CertificateException e) {
            return new X509Certificate[0];
        }
    }
}
