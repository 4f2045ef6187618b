package io.krunbox.shell;

import io.krunbox.runtime.BoxConnections;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code network connect} and {@code disconnect}. */
final class NetworkConnectCommand {
    private NetworkConnectCommand() {}

    @Command(name = "connect", mixinStandardHelpOptions = true, description = {"Connect a box to a network.",
            "A running sandbox box gets its interface at once; a VM only when stopped."})
    static final class Connect implements Callable<Integer> {
        @Option(names = "--alias", paramLabel = "ALIAS", description = "Another name of the box on this network.")
        List<String> aliases = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "IPv4", description = "A static address on the network.")
        String ip;

        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "BOX")
        String box;

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                new BoxConnections(c.boxes).connect(c.boxes.get(box), network, aliases, ip);
            }
            return 0;
        }
    }

    @Command(name = "disconnect", mixinStandardHelpOptions = true, description = "Disconnect a box from a network.")
    static final class Disconnect implements Callable<Integer> {
        @Option(names = {"-f", "--force"}, description = "Also when the box does not seem to be on it.")
        boolean force;

        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "BOX")
        String box;

        @Override
        public Integer call() throws Exception {
            try (BoxCommands c = new BoxCommands()) {
                new BoxConnections(c.boxes).disconnect(c.boxes.get(box), network, force);
            }
            return 0;
        }
    }
}
