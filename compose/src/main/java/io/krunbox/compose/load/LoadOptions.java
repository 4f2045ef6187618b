package io.krunbox.compose.load;

import io.krunbox.runtime.base.Invocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to load a project: the {@code -f} files (empty: discover them), {@code -p},
 * {@code --project-directory}, {@code --profile}, {@code --env-file}, {@code --strict}, and
 * the environment interpolation starts from.
 */
public record LoadOptions(List<Path> files, String projectName, Path projectDirectory, List<String> profiles,
                          List<Path> envFiles, boolean strict, Map<String, String> environment, Path workingDirectory) {
    public LoadOptions {
        files = files == null ? List.of() : List.copyOf(files);
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        envFiles = envFiles == null ? List.of() : List.copyOf(envFiles);
        environment = environment == null ? Invocation.current().env() : Map.copyOf(environment);
        workingDirectory = workingDirectory == null ? io.krunbox.runtime.base.Invocation.current().cwd() : io.krunbox.runtime.base.Invocation.current().resolve(workingDirectory);
    }

    public static LoadOptions of(Path... files) {
        return new LoadOptions(List.of(files), null, null, List.of(), List.of(), false, null, null);
    }
}
