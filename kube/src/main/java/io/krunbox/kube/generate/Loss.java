package io.krunbox.kube.generate;

/** A setting of {@code service} that Kubernetes cannot hold: its compose key and why. */
public record Loss(String service, String key, String why) {
    @Override
    public String toString() {
        return (service == null ? "" : "service " + service + ": ") + key + ": " + why;
    }
}
