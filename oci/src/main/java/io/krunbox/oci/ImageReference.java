package io.krunbox.oci;

import java.util.regex.Pattern;

/**
 * An image reference in Docker's grammar: {@code [registry/]repository[:tag][@digest]}.
 * {@code busybox} is {@code docker.io/library/busybox:latest}; the first component is a
 * registry when it has a '.' or ':' or is {@code localhost}.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?))*(?::[0-9]+)?"
                    + "|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw invalid(text, "\"" + rest.substring(at + 1) + "\" is not a sha256 digest");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "tag \"" + tag + "\" may only use letters, digits, '_', '.' and '-' (at most 128)");
            }
        }
        String registry = DOCKER_HUB;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost") || head.startsWith("[")) {
                if (!HOST.matcher(head).matches()) {
                    throw invalid(text, "\"" + head + "\" is not a registry host[:port]");
                }
                registry = head;
                rest = rest.substring(first + 1);
            }
        }
        if (rest.isEmpty()) {
            throw invalid(text, "it names no repository");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(text, "\"" + component + "\" is not a valid name component (lowercase letters, digits,"
                        + " and '.', '_', '-' between them)");
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (rest.length() > 255) {
            throw invalid(text, "the repository name is longer than 255 characters");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** True when the text parses as a reference. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidReferenceException e) {
            return false;
        }
    }

    private static InvalidReferenceException invalid(String text, String why) {
        return new InvalidReferenceException("invalid image reference \"" + text + "\": " + why);
    }

    /** Tag or digest for the registry's manifest endpoint; the digest wins when both are given. */
    public String manifestKey() {
        return digest != null ? digest.toString() : tag;
    }

    public ImageReference withDigest(Digest d) {
        return new ImageReference(registry, repository, tag, d);
    }

    public ImageReference withTag(String t) {
        return new ImageReference(registry, repository, t, null);
    }

    /** {@code docker.io/library/busybox:1.36} (and {@code @sha256:...} when pinned). */
    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** What Docker shows: {@code busybox} for Docker Hub's library, else the full repository. */
    public String familiarName() {
        if (registry.equals(DOCKER_HUB)) {
            return repository.startsWith("library/") ? repository.substring(8) : repository;
        }
        return registry + "/" + repository;
    }

    /** {@code busybox:1.36}, the key under which a tag is stored. */
    public String familiarTagged() {
        return familiarName() + ":" + (tag != null ? tag : "latest");
    }

    /** Thrown for text that is not an image reference. */
    public static final class InvalidReferenceException extends ImageException {
        public InvalidReferenceException(String message) {
            super(message);
        }
    }
}
