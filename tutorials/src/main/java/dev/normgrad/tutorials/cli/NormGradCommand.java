package dev.normgrad.tutorials.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code normgrad} command, the program the {@code ./normgrad} launcher runs: its subcommands are
 * {@link Cli#commandLine}'s; with no command it runs the demo.
 */
@Command(name = "normgrad", mixinStandardHelpOptions = true, versionProvider = Version.class,
        synopsisSubcommandLabel = "[COMMAND]",
        description = {"NormGrad: a small autograd engine, normalization layers and gradient checking, for teaching.",
                "With no command, runs the demo."},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run `normgrad COMMAND --help` for a command's options.",
                "Exit status: 0 done (or the check passed), 1 the gradient check failed, 2 bad input "
                        + "(one line on stderr names the file and the field; --verbose adds the stack trace), "
                        + "3 an internal error."})
public final class NormGradCommand implements Callable<Integer> {
    private final DemoCommand demo;

    @Mixin
    VerboseOption verbose;

    public NormGradCommand(DemoCommand demo) {
        this.demo = demo;
    }

    @Override
    public Integer call() {
        return demo.call();
    }

    /** The process's entry: runs the command line in the working directory and exits with its status. */
    public static void main(String[] args) {
        int status = Cli.run(args, Context.system());
        System.out.flush();
        System.exit(status);
    }
}
