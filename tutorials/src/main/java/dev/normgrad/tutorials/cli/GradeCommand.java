package dev.normgrad.tutorials.cli;

import dev.normgrad.tutorials.coursework.Assignment;
import dev.normgrad.tutorials.coursework.Assignments;
import dev.normgrad.tutorials.coursework.grader.BadSubmissionException;
import dev.normgrad.tutorials.coursework.grader.GradeReport;
import dev.normgrad.tutorials.coursework.grader.Grader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code normgrad grade SUBMISSION --assignment NAME}: grades one submission folder ({@link Grader}),
 * prints the feedback, and writes the result file ({@code --results}; Gradescope's {@code results.json}
 * with {@code --gradescope}) whatever happens: a submission that cannot be graded gets score 0 and the
 * reason in it, and so does a failure of the grader itself. With {@code --batch}, SUBMISSION is a folder
 * of submission folders, one per student: {@code scores.csv} and one feedback file per student go to
 * {@code --out}.
 */
@Command(name = "grade", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Grade a submission of an assignment: compile it in memory, run it in a separate JVM with time and "
                + "heap limits on the hidden cases (or the public ones, --public), and score it test by test against the "
                + "reference solution, with feedback in plain words.",
                "With --batch, SUBMISSION is a folder holding one submission folder per student."},
        footer = {"", "Exit status: 0 full marks (--batch: all graded), 1 points lost, 2 bad input (a missing folder, an "
                + "unknown assignment, no Java source, two candidate classes; the result file is written all the same), "
                + "3 an internal error (likewise)."})
public final class GradeCommand implements Callable<Integer> {
    /** The environment variable holding the hidden cases' seed, when --seed is not given. */
    public static final String SEED_VARIABLE = "NORMGRAD_GRADE_SEED";

    private final Context context;

    @Mixin
    VerboseOption verbose;

    @Parameters(index = "0", paramLabel = "SUBMISSION", description = "The folder holding the submission (.java files, or the notebook).")
    String submission;

    @Option(names = "--assignment", paramLabel = "NAME", required = true, description = "The assignment (normgrad assignment list).")
    String assignment;

    @Option(names = "--public", description = "Run the public tests (the ones the README lists) instead of the hidden ones.")
    boolean publicTests;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the hidden cases (default: $" + SEED_VARIABLE
            + ", else NormGrad's default; a course sets its own).")
    Long seed;

    @Option(names = "--results", paramLabel = "FILE", description = "Also write the result as JSON (schema normgrad-grade; "
            + "Gradescope's format with --gradescope).")
    String results;

    @Option(names = "--gradescope", description = "Write Gradescope's results.json (to --results, default results.json).")
    boolean gradescope;

    @Option(names = "--batch", description = "SUBMISSION is a folder of submission folders: grade each into --out.")
    boolean batch;

    @Option(names = "--out", paramLabel = "DIR", description = "With --batch: where scores.csv and the feedback files go "
            + "(default: ${DEFAULT-VALUE}).")
    String out = "grades";

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Wall-clock limit per case (default: ${DEFAULT-VALUE}).")
    double timeLimit = 5;

    @Option(names = "--heap-limit", paramLabel = "MB", description = "Heap of the JVM running the submission (default: ${DEFAULT-VALUE}).")
    int heapLimit = 256;

    public GradeCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!(timeLimit > 0) || timeLimit > 3600) {
            throw new CliException("--time-limit: seconds per case, more than 0 and at most 3600, got " + timeLimit);
        }
        if (heapLimit < 32 || heapLimit > 16_384) {
            throw new CliException("--heap-limit: megabytes, from 32 to 16384, got " + heapLimit);
        }
        if (batch && (gradescope || results != null)) {
            throw new CliException("--batch writes its results into --out; --gradescope and --results are for one submission");
        }
        Assignment a;
        try {
            a = Assignments.get(assignment);
        } catch (IllegalArgumentException e) {
            writeResult(GradeReport.forBadInput(assignment, submission, publicTests, e.getMessage()));
            throw new CliException("--assignment: " + e.getMessage());
        }
        Grader grader = new Grader(a, options());
        return batch ? batch(grader) : single(grader);
    }

    private Grader.Options options() {
        long s = seed != null ? seed : seedFromEnvironment();
        Grader.Options o = publicTests ? Grader.Options.publicOnes() : Grader.Options.hidden(s);
        return o.withLimits(Duration.ofMillis(Math.round(timeLimit * 1000)), heapLimit);
    }

    private long seedFromEnvironment() {
        String value = context.env().get(SEED_VARIABLE);
        if (value == null || value.isBlank()) {
            return Assignment.DEFAULT_HIDDEN_SEED;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new CliException(SEED_VARIABLE + "=" + value + ": not a whole number");
        }
    }

    private int single(Grader grader) {
        GradeReport report;
        try {
            report = grader.grade(context.resolve(submission), submission);
        } catch (BadSubmissionException e) {
            writeResult(grader.ungraded(submission, GradeReport.Status.BAD_SUBMISSION, e.getMessage()));
            throw new CliException(e.getMessage());
        } catch (RuntimeException | Error e) {
            writeResult(grader.ungraded(submission, GradeReport.Status.INTERNAL_ERROR,
                    "the grader failed (" + e + "); this is a bug in NormGrad, not in the submission"));
            throw e;
        }
        context.out().print(report);
        writeResult(report);
        return report.fullMarks() ? Cli.OK : Cli.CHECK_FAILED;
    }

    /** Writes the result file, if one was asked for, atomically (the old file or the new one, never half). */
    private void writeResult(GradeReport report) {
        if (results == null && !gradescope) {
            return;
        }
        Path file = context.resolve(results != null ? results : "results.json");
        String text = gradescope ? report.toGradescopeJson() : report.toJson();
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CliException("--results: " + file + " could not be written (" + e.getMessage() + ")", e);
        }
    }

    private int batch(Grader grader) {
        Path root = context.resolve(submission);
        if (!Files.isDirectory(root)) {
            throw new CliException(submission + ": " + (Files.exists(root) ? "is a file, not a folder of submissions" : "no such folder"));
        }
        List<Path> students;
        try (Stream<Path> list = Files.list(root)) {
            students = list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new CliException(submission + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (students.isEmpty()) {
            throw new CliException(submission + ": no submission folders in it (--batch grades one subfolder per student)");
        }
        StringBuilder csv = new StringBuilder("student,score,max_score,status,message\n");
        try (OutputFolder folder = OutputFolder.stage(context.resolve(out), "--out", out)) {
            for (Path student : students) {
                String id = student.getFileName().toString();
                String shown = submission.replaceAll("/+$", "") + "/" + id;
                GradeReport report;
                try {
                    report = grader.grade(student, shown);
                } catch (BadSubmissionException e) {
                    report = grader.ungraded(shown, GradeReport.Status.BAD_SUBMISSION, e.getMessage());
                } catch (RuntimeException e) {
                    report = grader.ungraded(shown, GradeReport.Status.INTERNAL_ERROR, "the grader failed (" + e + ")");
                }
                String file = id.replaceAll("[^\\w.-]", "_");
                Cli.writeText(folder.file(file + ".txt"), report.toString());
                Cli.writeText(folder.file(file + ".json"), report.toJson());
                csv.append(csv(id)).append(',').append(Assignment.points(report.score())).append(',')
                        .append(Assignment.points(report.maxScore())).append(',').append(csv(report.status().words())).append(',')
                        .append(csv(report.message() == null ? "" : report.message())).append('\n');
                context.out().printf(Locale.ROOT, "%-24s %6s / %-6s %s%n", id, Assignment.points(report.score()),
                        Assignment.points(report.maxScore()), report.message() == null ? "" : report.message());
            }
            Cli.writeText(folder.file("scores.csv"), csv.toString());
            folder.commit();
        } catch (UncheckedIOException e) {
            throw new CliException("--out: " + e.getMessage(), e);
        }
        context.out().println("graded " + students.size() + " submissions: " + context.resolve(out).resolve("scores.csv")
                + ", and STUDENT.txt (the feedback) and STUDENT.json for each");
        return Cli.OK;
    }

    private static String csv(String field) {
        return field.matches("[^,\"\\n\\r]*") ? field : "\"" + field.replace("\"", "\"\"") + "\"";
    }
}
