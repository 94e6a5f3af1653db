package dev.normgrad.tutorials.cli;

import dev.normgrad.io.LayerRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command reads from its surroundings, so that tests run the commands in-process: where to
 * print, which layer types a model file may name, the working directory that relative paths start
 * from, and the environment ({@code NORMGRAD_HOME}, set by the launcher, names the checkout).
 *
 * @param out      standard output: tables, reports, the files written
 * @param err      standard error: the one-line error messages and the progress bar
 * @param registry the layer types model files may name ({@link LayerRegistry#standard()})
 * @param cwd      the directory relative paths are resolved against
 * @param env      environment variables
 */
public record Context(PrintStream out, PrintStream err, LayerRegistry registry, Path cwd, Map<String, String> env) {
    /** The real surroundings: System.out/err, the standard layers, the process's directory and environment. */
    public static Context system() {
        return new Context(System.out, System.err, LayerRegistry.standard(), Path.of("").toAbsolutePath(), System.getenv());
    }

    /** {@code path} as given on the command line or in a config, resolved against {@link #cwd()}. */
    public Path resolve(String path) {
        return cwd.resolve(path).normalize();
    }
}
