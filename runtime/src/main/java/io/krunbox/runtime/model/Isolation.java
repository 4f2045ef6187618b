package io.krunbox.runtime.model;

import java.util.Locale;

/** How a box is isolated: a libkrun micro-VM, or Linux namespaces around the same guest-init. */
public enum Isolation {
    VM, SANDBOX;

    public static Isolation parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("isolation \"" + text + "\" is not vm or sandbox");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
