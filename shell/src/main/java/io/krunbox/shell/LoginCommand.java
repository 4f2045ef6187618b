package io.krunbox.shell;

import io.krunbox.runtime.Krunbox;
import io.krunbox.runtime.base.Invocation;
import io.krunbox.oci.ImageException;
import io.krunbox.oci.registry.Credentials;
import io.krunbox.runtime.image.Images;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code krunbox login}: check credentials with the registry, then store them (mode 0600). */
@Command(name = "login", mixinStandardHelpOptions = true, description = "Log in to a registry.")
public final class LoginCommand implements Callable<Integer> {
    @Option(names = {"-u", "--username"}, paramLabel = "USER")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", description = "Prefer --password-stdin.")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Parameters(paramLabel = "REGISTRY", description = "host[:port]")
    String registry;

    @Mixin ImageOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (username == null) {
            throw new ImageException("login needs --username");
        }
        if (passwordStdin) {
            password = new BufferedReader(new InputStreamReader(Invocation.current().stdin(), StandardCharsets.UTF_8)).readLine();
        } else if (password == null && Invocation.current().terminal()) {
            password = new String(System.console().readPassword("Password: "));
        }
        if (password == null || password.isEmpty()) {
            throw new ImageException("login needs a password: --password-stdin, or -p");
        }
        Credentials c = new Credentials(username, password);
        try (Krunbox krunbox = options.open()) {
            Images images = krunbox.images();
            images.registry().checkLogin(registry, c);
            images.credentials().save(registry, c);
        }
        spec.commandLine().getOut().println("Login Succeeded");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
