package dev.normgrad.tutorials.cli;

import dev.normgrad.io.ModelFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * NormGrad's command line (picocli), run by the {@code ./normgrad} launcher through
 * {@link dev.normgrad.tutorials.Main}:
 *
 * <pre>
 *   normgrad [demo]                        the vanishing-gradient story (the default)
 *   normgrad gradcheck MODEL.json          check every parameter's and the input's gradient of a saved model
 *   normgrad train CONFIG.json             train from a JSON config (tutorials/docs/command-line.md)
 *   normgrad notebook [--execute|--render] Jupyter on notebooks/, or run them into a folder (--render: the tutorials)
 *   normgrad experiments                   run the chapters, print the claims' verdicts
 *   normgrad bench                         the benchmarks
 *   normgrad assignment list | make NAME   the coursework: its assignments, a handout, a Gradescope autograder
 *   normgrad grade SUBMISSION --assignment NAME    grade a submission (tutorials/docs/teaching.md)
 * </pre>
 *
 * <p>Exit status: {@value #OK} done, {@value #CHECK_FAILED} a gradient check failed,
 * {@value #BAD_INPUT} bad input — an unknown command or option, a missing or unreadable file,
 * malformed JSON, an unknown layer type, shapes that do not fit — reported as one line on stderr
 * naming the file and the field (the stack trace only with {@code --verbose}), and
 * {@value #INTERNAL_ERROR} an internal error (a bug). A command that fails leaves no partial output file.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL_ERROR = 3;

    private Cli() {
    }

    /** The command tree for {@code context}. */
    public static CommandLine commandLine(Context context) {
        DemoCommand demo = new DemoCommand(context);
        CommandLine cl = new CommandLine(new NormGradCommand(demo));
        cl.addSubcommand("demo", demo);
        cl.addSubcommand("gradcheck", new GradcheckCommand(context));
        cl.addSubcommand("train", new TrainCommand(context));
        cl.addSubcommand("notebook", new NotebookCommand(context));
        cl.addSubcommand("experiments", new ExperimentsCommand(context));
        cl.addSubcommand("bench", new PassThroughCommands.Bench(context));
        cl.addSubcommand("assignment", AssignmentCommand.commandLine(context));
        cl.addSubcommand("grade", new GradeCommand(context));
        return cl;
    }

    /** Parses {@code args}, runs the command and returns the exit status. */
    public static int run(String[] args, Context context) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cl = commandLine(context);
        PrintWriter out = new PrintWriter(context.out(), true, StandardCharsets.UTF_8);
        cl.setOut(out);
        cl.setErr(new PrintWriter(context.err(), true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((ex, a) -> {
            context.err().println(usageError(ex));
            if (verbose) {
                ex.printStackTrace(context.err());
            }
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String name = commandLine.getCommandSpec().qualifiedName();
            int status = BAD_INPUT;
            String message;
            if (ex instanceof CliException || ex instanceof ModelFormatException || ex instanceof UncheckedIOException) {
                message = ex.getMessage();
            } else {
                status = INTERNAL_ERROR;
                message = "internal error: " + ex + (verbose ? "" : " (run again with --verbose for the stack trace, and please report it)");
            }
            context.err().println(name + ": " + oneLine(message));
            if (verbose) {
                ex.printStackTrace(context.err());
            }
            return status;
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            context.out().flush();
            context.err().flush();
        }
    }

    private static String usageError(CommandLine.ParameterException ex) {
        CommandLine where = ex.getCommandLine();
        String name = where.getCommandSpec().qualifiedName();
        String help = "; see `" + name + " --help`";
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            List<String> suggestions = u.getSuggestions();
            String didYouMean = suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)";
            if (where.getParent() == null && !first.startsWith("-")) {
                String commands = where.getSubcommands().keySet().stream().collect(Collectors.joining(", "));
                return name + ": unknown command '" + first + "'" + didYouMean + "; the commands are " + commands + help;
            }
            if (first.startsWith("-")) {
                return name + ": unknown option '" + first + "'" + didYouMean + help;
            }
            return name + ": unexpected argument '" + first + "'" + help;
        }
        return name + ": " + oneLine(ex.getMessage()) + help;
    }

    /** {@code message} on one line (a multi-line message's lines joined with "; "). */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Writes UTF-8 text (into a staging folder: the move into place is what makes it atomic). */
    static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": could not be written (" + e.getMessage() + ")", e);
        }
    }

    /** The process's entry, for the launcher: exits with the status. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        int status = run(args, Context.system());
        out.flush();
        System.exit(status);
    }
}
