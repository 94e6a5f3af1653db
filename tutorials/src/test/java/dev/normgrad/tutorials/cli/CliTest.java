package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    @Test
    void versionIsTheMavenProjectVersion() {
        CliRun r = CliRun.run(dir, "--version");
        assertEquals(Cli.OK, r.status());
        assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+.*"), Version.get());
        assertTrue(r.out().startsWith("NormGrad " + Version.get()), r::toString);
        assertTrue(CliRun.run(dir, "train", "--version").out().startsWith("NormGrad " + Version.get()));
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] c : new String[][] {{"demo", "--out"}, {"gradcheck", "--fast"}, {"train", "CONFIG.json"},
                {"notebook", "--execute"}, {"experiments", "--out"}, {"bench", "gemm"}}) {
            CliRun r = CliRun.run(dir, c[0], "--help");
            assertEquals(Cli.OK, r.status(), r::toString);
            assertTrue(r.out().contains("Usage: normgrad " + c[0]), r::toString);
            assertTrue(r.out().contains(c[1]), r::toString);
        }
        assertTrue(CliRun.run(dir, "gradcheck", "--help").out().contains("1 it failed"));
    }

    @Test
    void unknownTopLevelOptionIsOneLineExitTwo() {
        CliRun.run(dir, "--colour").assertBadInput("normgrad: unknown option '--colour'", "see `normgrad --help`");
    }

    @Test
    void anExtraArgumentIsOneLineExitTwo() {
        CliRun.run(dir, "train", "a.json", "b.json").assertBadInput("normgrad train: unexpected argument 'b.json'");
    }
}
