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
        String os,
        List<String> exposedPorts) {
    public ImageConfig {
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        volumes = List.copyOf(volumes);
        labels = Map.copyOf(labels);
    }

    /** Without exposed ports ({@code 80/tcp} entries). */
    public ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workingDir, String user,
                       List<String> volumes, Map<String, String> labels, String architecture, String os) {
        this(env, entrypoint, cmd, workingDir, user, volumes, labels, architecture, os, List.of());
    }
}
