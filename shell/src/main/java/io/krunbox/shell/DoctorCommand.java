package io.krunbox.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.krunbox.runtime.doctor.Check;
import io.krunbox.runtime.doctor.Doctor;
import io.krunbox.runtime.isolation.vm.KvmHost;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code krunbox doctor}: one line per check, OK / WARN / FAIL, with the fix. Exit 1 when something fails. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check this host: libkrun, libkrunfw, KVM and its kind, bubblewrap, overlayfs, cgroups, guest-init.",
                "Exit status 0 when boxes can run (in some isolation), 1 when a check fails."})
public final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--format", paramLabel = "table|json", description = "Output format (default: table).")
    String format = "table";

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Check> checks = new Doctor(KvmHost.probe()).run();
        var out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(checks));
        } else if (format.equals("table")) {
            for (Check c : checks) {
                out.printf("%-5s %-11s %s%n", c.status(), c.name(), c.detail());
                if (!c.fix().isEmpty() && c.status() != Check.Status.OK) {
                    out.printf("%-5s %-11s fix: %s%n", "", "", c.fix());
                }
            }
        } else {
            throw new IllegalArgumentException("--format " + format + " is not table or json");
        }
        out.flush();
        return checks.stream().anyMatch(c -> c.status() == Check.Status.FAIL) ? 1 : 0;
    }
}
