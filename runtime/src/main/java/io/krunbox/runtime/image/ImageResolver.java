package io.krunbox.runtime.image;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.Image;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.OciLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves what a user typed as IMAGE: {@code demo} (the busybox image installed with
 * krunbox), {@code oci:DIR[:TAG]}, or a path to an OCI layout directory.
 */
public final class ImageResolver {
    public static final String DEMO = "demo";
    private final Path demoLayout;

    public ImageResolver(Path demoLayout) {
        this.demoLayout = demoLayout;
    }

    /** The demo layout from {@code -Dkrunbox.demo.image}, {@code KRUNBOX_DEMO_IMAGE}, or the install dir. */
    public static ImageResolver fromEnvironment() {
        String prop = System.getProperty("krunbox.demo.image");
        String env = Invocation.current().env("KRUNBOX_DEMO_IMAGE");
        String path = prop != null ? prop : env != null ? env : "/usr/local/lib/krunbox/images/demo";
        return new ImageResolver(Path.of(path));
    }

    /** demo, oci:DIR[:TAG] or a layout path; anything else is looked up in (or pulled into) {@code images}. */
    public Image resolve(String ref, Images images, io.krunbox.oci.registry.PullListener listener) {
        if (isLocal(ref)) {
            return resolve(ref);
        }
        return images.resolveOrPull(ref, listener);
    }

    /** Whether {@code ref} names something on disk rather than an image in the store or a registry. */
    public static boolean isLocal(String ref) {
        return ref.equals(DEMO) || ref.equals(DEMO + ":latest") || ref.startsWith("oci:") || ref.startsWith("/")
                || ref.startsWith("./") || ref.startsWith("../");
    }

    public Image resolve(String ref) {
        if (ref.equals(DEMO) || ref.equals(DEMO + ":latest")) {
            if (!Files.isDirectory(demoLayout)) {
                throw new ImageException("the demo image is not installed at " + demoLayout
                        + ": run scripts/setup.sh, or set KRUNBOX_DEMO_IMAGE to an OCI layout");
            }
            return OciLayout.open(demoLayout).image(null);
        }
        if (ref.startsWith("oci:")) {
            String rest = ref.substring(4);
            int colon = rest.lastIndexOf(':');
            String tag = null;
            if (colon > 0 && !rest.substring(colon + 1).contains("/")) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            return OciLayout.open(Path.of(rest)).image(tag);
        }
        Path path = Path.of(ref);
        if (ref.contains("/") && Files.isDirectory(path)) {
            return OciLayout.open(path).image(null);
        }
        throw new ImageException("image \"" + ref + "\" not found: it is not an OCI layout directory (a path, or"
                + " oci:DIR[:TAG])");
    }
}
