package dev.normgrad.tutorials.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.io.LayerRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookCommandTest {
    @TempDir
    Path dir;

    /**
     * A checkout whose scripts only say how they were called: run-notebooks.sh --check answers
     * {@code check} (3: the kernel is missing), any other call exits 7.
     */
    private Path fakeCheckout(int check) throws IOException {
        Path root = dir.resolve("repo");
        Files.createDirectories(root.resolve("notebooks"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.writeString(root.resolve(NotebookCommand.INSTALL), "echo \"install-kernel $*\"\n");
        Files.writeString(root.resolve(NotebookCommand.RUN), "if [ \"$1\" = --check ]; then echo checked; exit " + check
                + "; fi\necho \"run-notebooks $*\"; exit 7\n");
        return root;
    }

    private Path fakeCheckout() throws IOException {
        return fakeCheckout(0);
    }

    @Test
    void notebookOpensJupyterThroughInstallKernelFromASubfolderOfTheCheckout() throws IOException {
        Path root = fakeCheckout();
        Path sub = Files.createDirectories(root.resolve("tutorials/src"));
        CliRun r = CliRun.run(LayerRegistry.standard(), sub, Map.of(), "notebook");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("install-kernel --open"), r::toString);
    }

    @Test
    void executeRunsTheNotebooksIntoAnOutputFolderAndPassesOnTheScriptsStatus() throws IOException {
        Path root = fakeCheckout();
        CliRun r = CliRun.run(LayerRegistry.standard(), dir, Map.of("NORMGRAD_HOME", root.toString()), "notebook", "--execute",
                "04-batch-norm");
        assertEquals(7, r.status(), r::toString);
        assertTrue(r.out().contains("run-notebooks --output " + dir.resolve("normgrad-notebooks") + " 04-batch-norm"), r::toString);
        assertTrue(!r.out().contains("--render") && !r.out().contains("install-kernel"), "no tracked file written, nothing installed: " + r);
    }

    @Test
    void executeInstallsTheKernelFirstWhenItIsMissing() throws IOException {
        Path root = fakeCheckout(NotebookCommand.MISSING);
        CliRun r = CliRun.run(LayerRegistry.standard(), dir, Map.of("NORMGRAD_HOME", root.toString()), "notebook", "--execute",
                "--out", "here");
        assertEquals(7, r.status(), r::toString);
        String out = r.out();
        assertTrue(out.indexOf("install-kernel") >= 0 && out.indexOf("install-kernel") < out.indexOf("run-notebooks --output"), r::toString);
        assertTrue(out.contains("run-notebooks --output " + dir.resolve("here")), r::toString);
    }

    @Test
    void renderIsTheMaintainersPathAndNotCombinedWithExecute() throws IOException {
        Path root = fakeCheckout();
        CliRun r = CliRun.run(LayerRegistry.standard(), dir, Map.of("NORMGRAD_HOME", root.toString()), "notebook", "--render");
        assertEquals(7, r.status(), r::toString);
        assertTrue(r.out().contains("run-notebooks --render"), r::toString);
        CliRun.run(LayerRegistry.standard(), dir, Map.of("NORMGRAD_HOME", root.toString()), "notebook", "--execute", "--render")
                .assertBadInput("normgrad notebook: --execute and --render: give one");
    }

    @Test
    void experimentsExecutesEveryChapterAndPrintsTheirVerdictLines() throws IOException {
        Path root = fakeCheckout();
        // the fake run "fails" with 7: the verdicts are read only from a successful run
        CliRun failed = CliRun.run(LayerRegistry.standard(), dir, Map.of("NORMGRAD_HOME", root.toString()), "experiments");
        assertEquals(7, failed.status(), failed::toString);
        assertTrue(failed.out().contains("run-notebooks --output " + dir.resolve("normgrad-experiments")), failed::toString);
        Path rendered = Files.createDirectories(dir.resolve("x/rendered"));
        Files.writeString(rendered.resolve("04-batch-norm.md"), "# BN\n```java\nx();\n```\n\n    claim 2: holds\n    other\n");
        assertEquals(java.util.List.of("  04-batch-norm: claim 2: holds"), ExperimentsCommand.verdicts(rendered));
    }

    @Test
    void outsideACheckoutIsOneLineExitTwo() {
        CliRun.run(dir, "notebook").assertBadInput("normgrad notebook: not in a NormGrad checkout", dir.toString());
        CliRun.run(LayerRegistry.standard(), dir, Map.of("NORMGRAD_HOME", dir.toString()), "notebook")
                .assertBadInput("NORMGRAD_HOME=" + dir + ": not a NormGrad checkout");
    }
}
