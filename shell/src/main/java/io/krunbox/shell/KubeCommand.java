package io.krunbox.shell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code krunbox kube ...}: topologies to Kubernetes YAML, and Kubernetes YAML run as boxes. */
@Command(name = "kube", mixinStandardHelpOptions = true,
        description = {"Kubernetes YAML from compose files and DSL scripts, and Kubernetes YAML run as boxes."},
        subcommands = {KubeGenerateCommand.class, KubePlayCommand.class, KubeDownCommand.class})
public final class KubeCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
