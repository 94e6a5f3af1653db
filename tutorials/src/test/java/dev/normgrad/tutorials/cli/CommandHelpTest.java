package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.io.LayerRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code normgrad COMMAND --help} lists every option the command takes, its own runner's included. */
class CommandHelpTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandsHelpListsEveryOptionItDeclares() {
        PrintStream none = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine tree = Cli.commandLine(new Context(none, none, LayerRegistry.standard(), dir, Map.of()));
        for (Map.Entry<String, CommandLine> c : tree.getSubcommands().entrySet()) {
            CliRun r = CliRun.run(dir, c.getKey(), "--help");
            assertEquals(Cli.OK, r.status(), r::toString);
            for (OptionSpec o : c.getValue().getCommandSpec().options()) {
                assertTrue(r.out().contains(o.longestName()), c.getKey() + " --help does not list " + o.longestName() + ":\n" + r.out());
            }
        }
    }

    @Test
    void benchsHelpListsTheOptionsItsRunnerParses() {
        String help = CliRun.run(dir, "bench", "--help").out();
        for (String option : new String[] {"--launches", "--warmup"}) {
            assertTrue(help.contains(option), "bench --help does not list " + option + ":\n" + help);
        }
    }
}
