package dev.normgrad.tutorials.cli;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Assignments;
import dev.normgrad.tutorials.coursework.Handout;
import dev.normgrad.tutorials.coursework.grader.GradescopeBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code normgrad assignment list} and {@code normgrad assignment make NAME --out DIR [--solution]
 * [--gradescope]}: the assignments NormGrad ships, and a handout folder (the class to complete, its
 * README, the same exercise as a notebook) or a Gradescope autograder for one of them.
 */
@Command(name = "assignment", mixinStandardHelpOptions = true, versionProvider = Version.class,
        synopsisSubcommandLabel = "(list | make)",
        description = {"The coursework: list the assignments, or make an assignment's handout or its Gradescope autograder."},
        footer = {"", "Exit status: 0 done, 2 bad input (an unknown assignment: the message lists the known ones)."})
public final class AssignmentCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    /** The {@code assignment} command with its two subcommands. */
    static CommandLine commandLine(Context context) {
        CommandLine cl = new CommandLine(new AssignmentCommand());
        cl.addSubcommand("list", new ListCommand(context));
        cl.addSubcommand("make", new MakeCommand(context));
        return cl;
    }

    @Override
    public Integer call() {
        throw new CliException("say what to do: `normgrad assignment list`, or `normgrad assignment make NAME --out DIR`");
    }

    /** {@code normgrad assignment list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"List the assignments: name, title, what the student writes, and the points of the graded tests."})
    static final class ListCommand implements Callable<Integer> {
        private final Context context;

        @Mixin
        VerboseOption verbose;

        ListCommand(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            for (Assignment a : Assignments.all()) {
                context.out().printf(Locale.ROOT, "%-22s %s: %s (%s.java, %s points)%n", a.name(), a.title(), a.summary(),
                        a.className(), Assignment.points(a.maxScore(a.hiddenCases(Assignment.DEFAULT_HIDDEN_SEED))));
            }
            context.out().println();
            context.out().println("Make a handout: normgrad assignment make NAME --out DIR   (--solution: with the solution; "
                    + "--gradescope: the autograder)");
            return Cli.OK;
        }
    }

    /** {@code normgrad assignment make NAME --out DIR [--solution] [--gradescope] [--seed S]}. */
    @Command(name = "make", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Write an assignment's handout into a folder: NAME's class to complete (CLASS.java), its README "
                    + "(the math, the shapes, how to run the public tests) and the same exercise as a notebook (NAME.ipynb).",
                    "With --solution, the files with the solution in place (between // BEGIN SOLUTION and // END SOLUTION).",
                    "With --gradescope, instead: a Gradescope autograder (autograder.zip, to upload, and its scripts to read)."})
    static final class MakeCommand implements Callable<Integer> {
        private final Context context;

        @Mixin
        VerboseOption verbose;

        @Parameters(index = "0", paramLabel = "NAME", description = "The assignment (normgrad assignment list).")
        String name;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "The folder to write (created; its parent must exist).")
        String out;

        @Option(names = "--solution", description = "Keep the solution in the files (for instructors).")
        boolean solution;

        @Option(names = "--gradescope", description = "Write a Gradescope autograder instead of a handout.")
        boolean gradescope;

        @Option(names = "--seed", paramLabel = "S", description = "With --gradescope: the hidden cases' seed (default: drawn at random).")
        Long seed;

        MakeCommand(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() throws IOException {
            Assignment a;
            try {
                a = Assignments.get(name);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            if (gradescope && solution) {
                throw new CliException("--gradescope and --solution: choose one (the autograder holds the solution already)");
            }
            if (seed != null && !gradescope) {
                throw new CliException("--seed: only with --gradescope (a handout's public tests have a fixed seed)");
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            if (gradescope) {
                List<Path> classPath = GradescopeBundle.installedClassPath();
                long hidden = seed != null ? seed : new SecureRandom().nextLong();
                files.putAll(GradescopeBundle.files(a, hidden, classPath));
            } else {
                new Handout(a, solution).files(notebookJars(context)).forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
            }
            Path target = context.resolve(out);
            List<Path> written;
            try (OutputFolder folder = OutputFolder.stage(target, "--out", out)) {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    Path p = folder.file(f.getKey());
                    Files.write(p, f.getValue());
                    if (f.getKey().equals("run_autograder") || f.getKey().endsWith(".sh")) {
                        p.toFile().setExecutable(true, false);
                    }
                }
                written = folder.commit();
            }
            context.out().println((gradescope ? "Gradescope autograder for " : solution ? "Solution of " : "Handout of ") + a.title()
                    + " (" + a.name() + ") in " + out + ":");
            for (Path p : written) {
                context.out().println("  " + p.getFileName());
            }
            if (gradescope) {
                context.out().println("Upload autograder.zip to Gradescope (README.md says how); the hidden seed is inside it.");
            } else if (!solution) {
                context.out().println("Students run the public tests with: ./normgrad grade FOLDER --assignment " + a.name() + " --public");
            }
            return Cli.OK;
        }
    }

    /** Where a handout's notebook loads NormGrad from: this NormGrad's jars. */
    static Handout.NotebookJars notebookJars(Context context) {
        String home = context.env().get("NORMGRAD_HOME");
        Path target;
        if (home != null) {
            target = Path.of(home).resolve("tutorials/target").toAbsolutePath().normalize();
        } else {
            try {
                Path self = Path.of(Handout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                target = self.getParent().toAbsolutePath().normalize();   // tutorials/target, from its jar or its classes folder
            } catch (URISyntaxException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
        return new Handout.NotebookJars(target.resolve("normgrad-tutorials.jar"));
    }
}
