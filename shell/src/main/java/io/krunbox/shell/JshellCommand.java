package io.krunbox.shell;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code krunbox jshell}: JShell with krunbox on the class path and its API imported, for Java users. */
@Command(name = "jshell", mixinStandardHelpOptions = true, description = {"Start JShell with the krunbox API imported.",
        "Try: var boxes = new BoxesApi(); var b = boxes.run(\"demo\", r -> r.command(\"sleep\", \"600\"));",
        "or the runtime itself: var k = Krunbox.open(); k.boxes().list(true);"})
public final class JshellCommand implements Callable<Integer> {
    static final String IMPORTS = String.join("\n",
            "import io.krunbox.dsl.*;",
            "import io.krunbox.runtime.*;",
            "import io.krunbox.runtime.model.*;",
            "import io.krunbox.compose.*;");

    @Override
    public Integer call() throws Exception {
        java.nio.file.Path startup = java.nio.file.Files.createTempFile("krunbox-jshell", ".jsh");
        java.nio.file.Files.writeString(startup, IMPORTS + "\n");
        startup.toFile().deleteOnExit();
        return jdk.jshell.tool.JavaShellToolBuilder.builder().start("--class-path", System.getProperty("java.class.path"),
                "--startup", "DEFAULT", "--startup", startup.toString()) ;
    }
}
