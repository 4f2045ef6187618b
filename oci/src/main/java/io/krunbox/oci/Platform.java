package io.krunbox.oci;

import java.util.Locale;

/** An image platform such as {@code linux/amd64} or {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {
    public static Platform parse(String text) {
        String[] p = text.trim().split("/");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw new ImageException("platform \"" + text + "\" is not os/arch[/variant], e.g. linux/amd64");
        }
        return new Platform(p[0], p[1], p.length == 3 ? p[2] : "");
    }

    /** This host's platform in OCI's terms. */
    public static Platform host() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return new Platform("linux", switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        }, "");
    }

    /** Whether an index entry's platform fits; an empty variant matches any. */
    public boolean matches(String os, String arch, String variant) {
        return this.os.equals(os) && architecture.equals(arch) && (this.variant.isEmpty() || this.variant.equals(variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
