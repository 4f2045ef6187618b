package io.krunbox.runtime.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;

/**
 * Integration tests need real parts (bubblewrap, libkrun). Where a part is missing the
 * test is skipped, unless {@code KRUNBOX_REQUIRE} (or -Dkrunbox.require) names it: then
 * the test fails, so CI can never pass by skipping.
 */
public final class Require {
    private Require() {}

    public static boolean required(String part) {
        String list = System.getProperty("krunbox.require");
        if (list == null || list.isBlank() || list.startsWith("${")) {
            list = System.getenv("KRUNBOX_REQUIRE");
        }
        return list != null && Arrays.stream(list.split(",")).map(String::trim).anyMatch(part::equals);
    }

    /** Skips (or fails, when required) unless {@code available}. */
    public static void part(String part, boolean available, String missing) {
        if (available) {
            return;
        }
        if (required(part)) {
            fail("KRUNBOX_REQUIRE names " + part + ", but " + missing);
        }
        Assumptions.abort(part + " is not available (" + missing + ")");
    }
}
