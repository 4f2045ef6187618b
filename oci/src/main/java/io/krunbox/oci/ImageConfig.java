package io.krunbox.oci;

import java.util.List;
import java.util.Map;

/** The parts of an image's config that decide how a box runs. */
public record ImageConfig(
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        String workingDir,
        String user,
        List<String> volumes,
        Map<String, String> labels,
        String architecture,
        String os) {
    public ImageConfig {
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        volumes = List.copyOf(volumes);
        labels = Map.copyOf(labels);
    }
}
