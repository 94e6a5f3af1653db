package dev.normgrad.tutorials.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code normgrad experiments}: the experiments behind the tutorials' claims table are the chapters
 * themselves (each builds its models and runs its training loops in its cells, on three seeds), so
 * this executes every notebook headlessly into an output folder, as {@code notebook --execute} does,
 * and prints the verdict lines the chapters print (output lines starting with {@code claim }). The
 * chapters select the deterministic matrix products in their set-up, so the numbers are the same on
 * every machine and equal the tutorials'.
 */
@Command(name = "experiments", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"The experiments behind the tutorials' claims table: executes every chapter headlessly (about "
                + "8 minutes on 2 cores; the kernel is installed first if missing) into an output folder and prints the "
                + "claims' verdict lines from the executed outputs.",
                "The numbers are the tutorials': the chapters use pure-Java matrix products in a fixed order."},
        footer = {"", "Exit status: 0 done, 1 a cell failed, 2 when not run from a NormGrad checkout."})
public final class ExperimentsCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the executed chapters go (executed/, rendered/); "
            + "default: ${DEFAULT-VALUE} in the current folder.")
    String out = "normgrad-experiments";

    public ExperimentsCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path root = NotebookCommand.checkout(context);
        int ready = NotebookCommand.ensureKernel(context, root);
        if (ready != 0) {
            return ready;
        }
        Path folder = context.resolve(out);
        int status = NotebookCommand.run(context, root, List.of(NotebookCommand.RUN, "--output", folder.toString()));
        if (status != 0) {
            return status;
        }
        context.out().println();
        context.out().println("The claims, as the executed chapters state them (the table: tutorials/README.md):");
        for (String line : verdicts(folder.resolve("rendered"))) {
            context.out().println(line);
        }
        return Cli.OK;
    }

    /** The output lines starting with "claim " of every rendered chapter in {@code rendered}, prefixed by the chapter. */
    static List<String> verdicts(Path rendered) throws IOException {
        if (!Files.isDirectory(rendered)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(rendered)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().flatMap(md -> {
                try {
                    String chapter = md.getFileName().toString().replaceFirst("\\.md$", "");
                    return Files.readAllLines(md, StandardCharsets.UTF_8).stream()
                            .filter(l -> l.startsWith("    claim "))
                            .map(l -> "  " + chapter + ": " + l.strip());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
