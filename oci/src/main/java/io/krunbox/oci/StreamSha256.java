package io.krunbox.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.concurrent.CompletableFuture;

/**
 * SHA-256 for large streams (layer blobs): the JDK's own SHA-256 runs at ~150 MB/s under the
 * quick-starting compiler krunbox uses, while NSS's softoken (the JDK's SunPKCS11 provider
 * over {@code libsoftokn3}, present where Debian's Java is) uses the CPU's SHA instructions,
 * ~1.7 GB/s. Setting that provider up costs ~50 ms, so it is done on a background thread
 * ({@link #warmUp}) or for streams large enough to repay it; anything else, or a host without
 * NSS, gets the JDK's. {@code -Dkrunbox.sha256.nss=false} turns it off.
 */
public final class StreamSha256 {
    /** Below this, a stream is hashed by the JDK unless NSS is ready anyway. */
    static final long WORTH_SETTING_UP = 8L << 20;
    private static final long WORTH_USING = 64L << 10;
    private static volatile CompletableFuture<Provider> nss;

    private StreamSha256() {}

    /** Starts setting NSS up, for hashes to come (a pull does this first). */
    public static void warmUp() {
        start();
    }

    /** A digest for a stream of {@code size} bytes (negative: unknown, taken as large). */
    public static MessageDigest forStream(long size) {
        CompletableFuture<Provider> ready = nss;
        boolean large = size < 0 || size >= WORTH_SETTING_UP;
        if ((size < 0 || size >= WORTH_USING) && (large || ready != null && ready.isDone())) {
            Provider p = provider();
            if (p != null) {
                try {
                    return MessageDigest.getInstance("SHA-256", p);
                } catch (NoSuchAlgorithmException e) {
                    // this softoken has no SHA-256: the JDK's below
                }
            }
        }
        return Digest.newSha256();
    }

    /** The NSS provider when this host has one (null otherwise); set up once. */
    static Provider provider() {
        try {
            return start().join();
        } catch (java.util.concurrent.CompletionException e) {
            return null;
        }
    }

    private static CompletableFuture<Provider> start() {
        CompletableFuture<Provider> f = nss;
        if (f == null) {
            synchronized (StreamSha256.class) {
                if (nss == null) {
                    nss = CompletableFuture.supplyAsync(StreamSha256::configure);
                }
                f = nss;
            }
        }
        return f;
    }

    private static Provider configure() {
        if (!Boolean.parseBoolean(System.getProperty("krunbox.sha256.nss", "true"))) {
            return null;
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            return null;
        }
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"}) {
            if (!java.nio.file.Files.exists(java.nio.file.Path.of(dir, "libsoftokn3.so"))) {
                continue;
            }
            try {
                Provider p = base.configure("--name=krunbox-sha256\nnssLibraryDirectory=" + dir
                        + "\nnssDbMode=noDb\nattributes=compatibility\n");
                MessageDigest.getInstance("SHA-256", p).digest(new byte[1]); // it works, or it is not used
                return p;
            } catch (RuntimeException | LinkageError | NoSuchAlgorithmException e) {
                return null; // no usable softoken here (an odd NSS, a FIPS policy): the JDK's SHA-256
            }
        }
        return null;
    }
}
