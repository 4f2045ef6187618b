package io.krunbox.kube;

/** Kubernetes YAML that krunbox cannot take, with what is wrong and where. */
public class KubeException extends IllegalArgumentException {
    public KubeException(String message) {
        super(message);
    }
}
