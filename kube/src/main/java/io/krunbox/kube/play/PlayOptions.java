package io.krunbox.kube.play;

/**
 * How {@code kube play} runs the YAML: the project (null: the objects' {@code app.kubernetes.io/part-of}
 * label, else the file's name), an existing network to put every box on (null: the project's own),
 * and whether NodePort and LoadBalancer Services publish their ports on the host.
 */
public record PlayOptions(String project, String network, boolean publish) {}
