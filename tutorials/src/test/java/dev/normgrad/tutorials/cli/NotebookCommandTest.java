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

    /** A checkout whose scripts only say how they were called. */
    private Path fakeCheckout() throws IOException {
        Path root = dir.resolve("repo");
        Files.createDirectories(root.resolve("notebooks"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.writeString(root.resolve(NotebookCommand.INSTALL), "echo \"install-kernel $*\"\n");
        Files.writeString(root.resolve(NotebookCommand.RUN), "echo \"run-notebooks $*\"; exit 7\n");
        return root;
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
    void executeRunsAndRendersTheNotebooksAndPassesOnTheScriptsStatus() throws IOException {
        Path root = fakeCheckout();
        CliRun r = CliRun.run(LayerRegistry.standard(), dir, Map.of("NORMGRAD_HOME", root.toString()), "notebook", "--execute");
        assertEquals(7, r.status(), r::toString);
        assertTrue(r.out().contains("run-notebooks --render"), r::toString);
    }

    @Test
    void outsideACheckoutIsOneLineExitTwo() {
        CliRun.run(dir, "notebook").assertBadInput("normgrad notebook: not in a NormGrad checkout", dir.toString());
        CliRun.run(LayerRegistry.standard(), dir, Map.of("NORMGRAD_HOME", dir.toString()), "notebook")
                .assertBadInput("NORMGRAD_HOME=" + dir + ": not a NormGrad checkout");
    }
}
