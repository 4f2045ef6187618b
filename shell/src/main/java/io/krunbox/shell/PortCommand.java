package io.krunbox.shell;

import io.krunbox.runtime.model.PortMapping;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox port BOX [PORT[/PROTO]]}: a box's published ports, as {@code docker port} prints them. */
@Command(name = "port", mixinStandardHelpOptions = true,
        description = {"List a box's published ports.", "Exit status 1 when PORT is not published."})
public final class PortCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BOX")
    String box;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT[/PROTO]")
    String port;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        try (BoxCommands c = new BoxCommands()) {
            return print(c.boxes.get(box), port, spec);
        }
    }

    /** Prints the published ports of box {@code b} ({@code port}: only that one; 1 when it is not published). */
    static int print(io.krunbox.runtime.state.BoxStore.BoxRecord b, String port, CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        int found = 0;
        String box = b.name();
        for (PortMapping p : b.spec().ports()) {
            if (port == null) {
                out.println(p.boxPort() + "/" + p.protocol() + " -> " + p.hostIp() + ":" + p.hostPort());
                found++;
            } else if (port.equals(Integer.toString(p.boxPort())) || port.equals(p.boxPort() + "/" + p.protocol())) {
                out.println(p.hostIp() + ":" + p.hostPort());
                found++;
            }
        }
        out.flush();
        if (port != null && found == 0) {
            spec.commandLine().getErr().println("Error: no public port '" + port + "' published for " + box);
            spec.commandLine().getErr().flush();
            return 1;
        }
        return 0;
    }
}
