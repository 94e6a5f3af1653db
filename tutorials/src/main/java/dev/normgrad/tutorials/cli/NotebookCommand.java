package dev.normgrad.tutorials.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code normgrad notebook}: installs the Java kernel and opens Jupyter on {@code notebooks/}
 * (localhost only) through {@code notebooks/install-kernel.sh --open}; with {@code --execute}, runs
 * every notebook headlessly and renders the tutorials ({@code notebooks/run-notebooks.sh --render}).
 * The checkout is {@code $NORMGRAD_HOME} (the launcher sets it), else the nearest folder above the
 * working directory that holds {@code notebooks/install-kernel.sh} and a {@code pom.xml}.
 */
@Command(name = "notebook", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Install the Java kernel and open Jupyter on notebooks/ (localhost only).",
                "With --execute: run every notebook headlessly and render the tutorials (tutorials/NAME.md)."},
        footer = {"", "Exit status: the script's (0 done), 2 when not run from a NormGrad checkout."})
public final class NotebookCommand implements Callable<Integer> {
    /** The scripts this command runs, relative to the checkout. */
    static final String INSTALL = "notebooks/install-kernel.sh";
    static final String RUN = "notebooks/run-notebooks.sh";

    private final Context context;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--execute", description = "Run the notebooks headlessly and render the tutorials, instead of opening Jupyter.")
    boolean execute;

    public NotebookCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path root = checkout(context);
        List<String> command = execute ? List.of("bash", root.resolve(RUN).toString(), "--render")
                : List.of("bash", root.resolve(INSTALL).toString(), "--open");
        context.err().println("normgrad notebook: running " + String.join(" ", command.subList(1, command.size())));
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                context.out().println(line);
            }
        }
        return process.waitFor();
    }

    /** The NormGrad checkout: {@code $NORMGRAD_HOME}, else the nearest folder above the working directory holding the notebooks' scripts. */
    static Path checkout(Context context) {
        String home = context.env().get("NORMGRAD_HOME");
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home).toAbsolutePath().normalize();
            if (!isCheckout(p)) {
                throw new CliException("NORMGRAD_HOME=" + home + ": not a NormGrad checkout (no " + INSTALL
                        + " there); unset it or point it at the folder holding ./normgrad");
            }
            return p;
        }
        for (Path p = context.cwd().toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (isCheckout(p)) {
                return p;
            }
        }
        throw new CliException("not in a NormGrad checkout: no folder from " + context.cwd().toAbsolutePath()
                + " upwards holds " + INSTALL + "; run ./normgrad notebook from the cloned repository");
    }

    private static boolean isCheckout(Path p) {
        return Files.isRegularFile(p.resolve(INSTALL)) && Files.isRegularFile(p.resolve(RUN)) && Files.isRegularFile(p.resolve("pom.xml"));
    }
}
