package dev.normgrad.tutorials;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After the notebooks have been executed ({@code mvn verify -Pnotebooks}: run-notebooks.sh writes
 * {@code notebooks/target/rendered/}, and the chosen chapter again under each kernel variant in
 * {@code notebooks/target/variants/NAME/rendered/}): the committed tutorials are what a fresh execution
 * shows, and the variants show the same. Lines that report a timing (they contain "timing") are the
 * only ones exempt. Run by the notebooks module after the executions, not by the tutorials' own tests.
 */
class ExecutedNotebooksIT {
    static final Path NOTEBOOKS = Path.of("..", "notebooks");
    static final Path RENDERED = NOTEBOOKS.resolve("target/rendered");
    static final Path VARIANTS = NOTEBOOKS.resolve("target/variants");
    static final Path TUTORIALS = Path.of("..", "tutorials");

    @Test
    void theTutorialsShowWhatAFreshExecutionShows() throws IOException {
        List<String> names = ProseNumbersTest.chapterNames();
        assertFalse(names.isEmpty(), "there are notebooks");
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            if (!Files.isRegularFile(RENDERED.resolve(name + ".md"))) {
                problems.add(name + " was not executed: no " + RENDERED.resolve(name + ".md") + " (run notebooks/run-notebooks.sh)");
                continue;
            }
            problems.addAll(RenderedOutputs.differences(TUTORIALS, RENDERED, name));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + TutorialSync.FIX);
    }

    @Test
    void everyKernelVariantShowsTheSameOutputs() throws IOException {
        List<Path> variants;
        try (Stream<Path> dirs = Files.list(VARIANTS)) {
            variants = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(variants.size() >= 3, "the notebooks module executes a chapter under at least 3 kernel variants"
                + " (pure-Java GEMM forced, OpenBLAS with 1 and with 2 threads); found " + variants);
        List<String> problems = new ArrayList<>();
        for (Path variant : variants) {
            List<String> chapters = RenderedOutputs.chapters(variant.resolve("rendered"));
            assertFalse(chapters.isEmpty(), variant + " holds no executed chapter");
            for (String name : chapters) {
                problems.addAll(RenderedOutputs.differences(RENDERED, variant.resolve("rendered"), name));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
