package io.krunbox.shell;

import io.krunbox.runtime.base.Invocation;
import io.krunbox.shell.server.CallServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code krunbox server status|stop}: the warm server the native client talks to. The client
 * answers both itself when no server runs; {@code server run} is how the client starts one.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "The warm server behind the krunbox command.",
        subcommands = {ServerCommand.Status.class, ServerCommand.Stop.class, ServerCommand.Run.class})
public final class ServerCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give a subcommand: status or stop");
    }

    private static CallServer here() {
        CallServer s = CallServer.running();
        if (s == null) {
            throw new IllegalStateException("no server ran this call (KRUNBOX_SERVER=0, or the JVM launcher was called): "
                    + "call the krunbox client");
        }
        return s;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the server of this user and home.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json.")
        String format = "table";

        @Override
        public Integer call() {
            CallServer s = here();
            if (format.equals("json")) {
                java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("Running", true);
                row.put("Pid", s.pid());
                row.put("Socket", s.socket().toString());
                row.put("Started", s.started().toString());
                row.put("Calls", s.calls());
                row.put("Active", s.active());
                row.put("Working", s.working());
                row.put("IdleExit", s.idle().toString());
                try {
                    Invocation.current().out().println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(row));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("cannot write the status as JSON: " + e.getMessage(), e);
                }
            } else {
                Invocation.current().out().print(s.status());
            }
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the server (its boxes keep running).")
    static final class Stop implements Callable<Integer> {
        @Override
        public Integer call() {
            CallServer s = here();
            s.retire();
            Invocation.current().out().println("stopped server " + s.pid());
            return 0;
        }
    }

    @Command(name = "run", hidden = true, description = "Serve calls on SOCKET (the client starts this).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--socket", required = true, paramLabel = "SOCKET")
        Path socket;

        @Option(names = "--lock", required = true, paramLabel = "FILE")
        Path lock;

        @Option(names = "--identity", required = true, paramLabel = "ID")
        String identity;

        @Override
        public Integer call() throws Exception {
            if (!Invocation.current().isProcess()) {
                throw new IllegalArgumentException("server run is for the client to start a server, not a call in one");
            }
            // boxes that end with --rm or restart call back through the client, which finds this server
            String client = Invocation.current().env("KRUNBOX_CLIENT");
            if (client != null) {
                java.util.List<String> self = new java.util.ArrayList<>(java.util.List.of("/usr/bin/env"));
                String jvm = Invocation.current().env("KRUNBOX_JVM");
                if (jvm != null) {
                    self.add("KRUNBOX_JVM=" + jvm);
                }
                String opts = Invocation.current().env("KRUNBOX_JAVA_OPTS");
                if (opts != null) {
                    self.add("KRUNBOX_JAVA_OPTS=" + opts);
                }
                self.add(client);
                System.setProperty("krunbox.self", String.join("\0", self));
            }
            CallServer server = new CallServer(socket, lock, identity,
                    CallServer.parseIdle(Invocation.current().env("KRUNBOX_SERVER_IDLE")), Main::run,
                    Invocation.current().err());
            return server.serve();
        }
    }
}
