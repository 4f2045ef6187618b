package io.krunbox.kube.play;

/**
 * How {@code kube play} runs the YAML: the project (null: the file's name), an existing network
 * to put every box on (null: the project's own), whether NodePort and LoadBalancer Services
 * publish their ports on the host, and whether the YAML may ask for what crosses the box
 * boundary (privileged, added capabilities, no seccomp filter, host paths), which it may not by default.
 */
public record PlayOptions(String project, String network, boolean publish, boolean allowPrivileged) {
    public PlayOptions(String project, String network, boolean publish) {
        this(project, network, publish, false);
    }
}
