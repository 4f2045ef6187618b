package io.krunbox.kube.generate;

import java.util.List;
import java.util.Locale;

/**
 * What {@code kube generate} makes: the workload kind, the RuntimeClass of its pods, the
 * namespace of every object, and the services to take (empty: all).
 */
public record GenerateOptions(WorkloadType type, String runtimeClass, String namespace, List<String> services) {
    public GenerateOptions {
        type = type == null ? WorkloadType.DEPLOYMENT : type;
        services = services == null ? List.of() : List.copyOf(services);
    }

    public enum WorkloadType {
        DEPLOYMENT, STATEFULSET, POD, DAEMONSET, JOB;

        public static WorkloadType parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--type " + text + " is not one of deployment, statefulset, pod,"
                        + " daemonset, job");
            }
        }
    }
}
