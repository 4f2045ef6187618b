package io.krunbox.shell;

import io.krunbox.oci.Platform;
import io.krunbox.runtime.image.ImageResolver;
import io.krunbox.runtime.image.Images;
import io.krunbox.runtime.image.PullNotices;
import java.io.PrintStream;

/** {@code run --pull missing|always|never [--platform P]}, as in Docker: when the image is pulled first. */
enum PullPolicy {
    MISSING, ALWAYS, NEVER;

    static PullPolicy parse(String text) {
        return switch (text) {
            case "missing" -> MISSING;
            case "always" -> ALWAYS;
            case "never" -> NEVER;
            default -> throw new IllegalArgumentException("--pull " + text + " is not missing, always or never");
        };
    }

    /**
     * Pulls {@code ref} now when this policy (or a platform other than the host's) asks for it,
     * and refuses a missing image under {@code never}. Local images (demo, OCI layouts) are never pulled.
     */
    void prepare(Images images, String ref, String platform, PrintStream notices) {
        if (ImageResolver.isLocal(ref)) {
            return;
        }
        boolean held = images.find(ref).isPresent();
        if (this == NEVER) {
            if (!held) {
                throw new IllegalArgumentException("image \"" + ref + "\" is not held here and --pull never forbids"
                        + " pulling it: run krunbox pull " + ref + " first, or use --pull missing");
            }
            return;
        }
        if (this == ALWAYS || !held && platform != null) {
            images.pull(ref, platform == null ? Platform.host() : Platform.parse(platform), new PullNotices(notices, ref, !held));
        }
    }
}
