package dev.normgrad.tutorials;

import dev.normgrad.io.LayerRegistry;
import dev.normgrad.tutorials.cli.Cli;
import dev.normgrad.tutorials.cli.Context;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * NormGrad's command line, run by the {@code ./normgrad} launcher: {@code demo} (the default),
 * {@code gradcheck}, {@code train}, {@code notebook}, {@code experiments}, {@code bench}
 * ({@link Cli} has the commands and the exit statuses).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Cli.main(args);
    }

    /** Runs a command with the standard layers from the working directory; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(args, new Context(out, err, LayerRegistry.standard(), Path.of("").toAbsolutePath(), System.getenv()));
    }
}
