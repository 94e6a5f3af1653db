package dev.normgrad.tutorials.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code normgrad notebook}: installs the Java kernel and opens Jupyter on {@code notebooks/}
 * (localhost only) through {@code notebooks/install-kernel.sh --open}. With {@code --execute}, runs the
 * notebooks headlessly into an output folder ({@code notebooks/run-notebooks.sh --output DIR}), first
 * installing the kernel if it is missing; tracked files are never written. {@code --render} is the
 * maintainer's path: it rewrites the tutorials ({@code run-notebooks.sh --render}). The checkout is
 * {@code $NORMGRAD_HOME} (the launcher sets it), else the nearest folder above the working directory
 * that holds {@code notebooks/install-kernel.sh} and a {@code pom.xml}.
 */
@Command(name = "notebook", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Install the Java kernel and open Jupyter on notebooks/ (localhost only).",
                "With --execute: run the notebooks (all, or the NAMEs given) headlessly into an output folder, "
                        + "installing the kernel first if it is missing; no tracked file is written.",
                "With --render (maintainers): execute them and rewrite the tutorials (tutorials/NAME.md)."},
        footer = {"", "Exit status: the script's (0 done, 1 a cell failed), 2 when not run from a NormGrad checkout."})
public final class NotebookCommand implements Callable<Integer> {
    /** The scripts this command runs, relative to the checkout. */
    static final String INSTALL = "notebooks/install-kernel.sh";
    static final String RUN = "notebooks/run-notebooks.sh";
    /** run-notebooks.sh --check's status when Jupyter, the kernel or the jars are missing. */
    static final int MISSING = 3;

    private final Context context;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--execute", description = "Run the notebooks headlessly into the --out folder, instead of opening Jupyter.")
    boolean execute;

    @Option(names = "--out", paramLabel = "DIR", description = "Where --execute writes the executed notebooks (executed/) and their "
            + "Markdown renderings (rendered/); default: ${DEFAULT-VALUE} in the current folder.")
    String out = "normgrad-notebooks";

    @Option(names = "--render", description = "Maintainers: execute the notebooks and rewrite tutorials/NAME.md and its figures "
            + "(commit notebooks/ and tutorials/ together).")
    boolean render;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Notebooks to execute (e.g. 04-batch-norm); default: all.")
    List<String> names = new ArrayList<>();

    public NotebookCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path root = checkout(context);
        if (!execute && !render) {
            if (!names.isEmpty()) {
                throw new CliException("notebook NAMEs are for --execute or --render; without them the command opens Jupyter");
            }
            return run(context, root, List.of(INSTALL, "--open"));
        }
        if (execute && render) {
            throw new CliException("--execute and --render: give one (--render executes too, and writes the tutorials)");
        }
        int ready = ensureKernel(context, root);
        if (ready != 0) {
            return ready;
        }
        List<String> command = new ArrayList<>(List.of(RUN));
        if (render) {
            command.add("--render");
        } else {
            command.add("--output");
            command.add(context.resolve(out).toString());
        }
        command.addAll(names);
        return run(context, root, command);
    }

    /**
     * Installs the kernel (with {@code install-kernel.sh}) when {@code run-notebooks.sh --check} says
     * Jupyter, the kernel or the jars are missing. Returns 0 when ready, else the failing script's status.
     */
    static int ensureKernel(Context context, Path root) throws IOException, InterruptedException {
        int check = run(context, root, List.of(RUN, "--check"));
        if (check != MISSING) {
            return check;
        }
        context.err().println("normgrad notebook: installing what is missing with " + INSTALL);
        int installed = run(context, root, List.of(INSTALL));
        if (installed != 0) {
            context.err().println("normgrad notebook: " + INSTALL + " failed (status " + installed + "); run it yourself to see why");
        }
        return installed;
    }

    /** Runs a script of the checkout (path relative to it, then its arguments), its output on ours; returns its status. */
    static int run(Context context, Path root, List<String> script) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(root.resolve(script.get(0)).toString());
        command.addAll(script.subList(1, script.size()));
        context.err().println("normgrad: running " + String.join(" ", script));
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
