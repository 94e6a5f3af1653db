package dev.normgrad.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorials are the notebooks rendered: the suite fails when one is stale (its code, its figures,
 * the index). That its outputs are a fresh execution's is checked after the notebooks run
 * ({@code mvn verify -Pnotebooks}: ExecutedNotebooksIT); that its prose quotes only numbers of its
 * outputs, by ProseNumbersTest.
 */
class TutorialsCurrentTest {

    @Test
    void everyNotebookHasACurrentTutorial() throws IOException {
        List<String> problems = TutorialSync.problems(Path.of("..", "notebooks"), Path.of("..", "tutorials"));
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + TutorialSync.FIX);
    }

    private static final String NOTEBOOK = """
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# Title\\n", "```java\\n", "Tensor.zeros(2, 3)\\n", "```"]},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["int a = 1;\\n", "int b = a + 1;"]},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "System.out.println(b);"}
             ],
             "metadata": {"kernelspec": {"name": "normgrad-java", "display_name": "Java (NormGrad)", "language": "java"}},
             "nbformat": 4, "nbformat_minor": 5}
            """;

    private static final String TUTORIAL = """
            # Title
            ```java
            Tensor.zeros(2, 3)
            ```

            ```java
            int a = 1;
            int b = a + 1;
            ```

            ```java
            System.out.println(b);
            ```

                2

            ![png](ch_files/ch_2_0.png)
            """;

    private static Path chapter(Path dir, String notebook, String tutorial) throws IOException {
        Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
        Path tutorials = Files.createDirectories(dir.resolve("tutorials"));
        Files.writeString(notebooks.resolve("ch.ipynb"), notebook);
        Files.writeString(tutorials.resolve("ch.md"), tutorial);
        Files.createDirectories(tutorials.resolve("ch_files"));
        Files.write(tutorials.resolve("ch_files/ch_2_0.png"), new byte[] {1});
        Files.writeString(tutorials.resolve("README.md"), "1. [Chapter](ch.md)\n");
        return dir;
    }

    private static List<String> problems(Path dir) throws IOException {
        return TutorialSync.problems(dir.resolve("notebooks"), dir.resolve("tutorials"));
    }

    @Test
    void aMatchingTutorialIsCurrent(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), problems(chapter(dir, NOTEBOOK, TUTORIAL)));
    }

    @Test
    void aChangedCodeCellMakesTheTutorialStale(@TempDir Path dir) throws IOException {
        List<String> problems = problems(chapter(dir, NOTEBOOK.replace("a + 1", "a + 2"), TUTORIAL));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("is stale"), problems.get(0));
        assertTrue(problems.get(0).contains("code block 2 differs at line 2"), problems.get(0));
        assertTrue(problems.get(0).contains("int b = a + 2;"), problems.get(0));
    }

    @Test
    void anAddedCodeCellMakesTheTutorialStale(@TempDir Path dir) throws IOException {
        String more = NOTEBOOK.replace("\"source\": \"System.out.println(b);\"}",
                "\"source\": \"System.out.println(b);\"},\n{\"cell_type\": \"code\", \"execution_count\": null, "
                        + "\"metadata\": {}, \"outputs\": [], \"source\": \"b++;\"}");
        List<String> problems = problems(chapter(dir, more, TUTORIAL));
        assertEquals(List.of(dir.resolve("tutorials/ch.md") + " is stale against " + dir.resolve("notebooks/ch.ipynb")
                + ": the notebook has 4 code blocks, the tutorial 3"), problems);
    }

    @Test
    void aMissingTutorialOrFigureIsReported(@TempDir Path dir) throws IOException {
        chapter(dir, NOTEBOOK, TUTORIAL);
        Files.delete(dir.resolve("tutorials/ch_files/ch_2_0.png"));
        assertTrue(problems(dir).get(0).contains("shows ch_files/ch_2_0.png, which does not exist"), problems(dir).toString());
        Files.delete(dir.resolve("tutorials/ch.md"));
        assertTrue(problems(dir).get(0).endsWith("ch.md is missing (rendered from " + dir.resolve("notebooks/ch.ipynb") + ")"),
                problems(dir).toString());
    }

    @Test
    void aChapterMissingFromTheIndexIsReported(@TempDir Path dir) throws IOException {
        chapter(dir, NOTEBOOK, TUTORIAL);
        Files.writeString(dir.resolve("tutorials/README.md"), "No chapters yet.\n");
        assertTrue(problems(dir).get(0).contains("does not link chapter ch.md"), problems(dir).toString());
    }

    @Test
    void aNotebookWithOutputsOrAnotherKernelIsReported(@TempDir Path dir) throws IOException {
        String dirty = NOTEBOOK.replace("\"execution_count\": null, \"metadata\": {}, \"outputs\": [], \"source\": \"System",
                        "\"execution_count\": 3, \"metadata\": {}, \"outputs\": [], \"source\": \"System")
                .replace("\"name\": \"normgrad-java\"", "\"name\": \"java\"");
        List<String> problems = problems(chapter(dir, dirty, TUTORIAL));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("uses kernel java; set its kernelspec name to normgrad-java"), problems.get(0));
        assertTrue(problems.get(1).contains("cell 3 has outputs"), problems.get(1));
    }

    @Test
    void aTutorialWithoutNotebookIsReported(@TempDir Path dir) throws IOException {
        chapter(dir, NOTEBOOK, TUTORIAL);
        Files.writeString(dir.resolve("tutorials/old.md"), "# Old chapter\n");
        assertEquals(List.of(dir.resolve("tutorials/old.md") + " has no notebook " + dir.resolve("notebooks/old.ipynb")),
                problems(dir));
    }

    @Test
    void aCellShowingAPrintStreamIsReported(@TempDir Path dir) throws IOException {
        chapter(dir, NOTEBOOK, TUTORIAL.replace("    2\n", "    2\n\njava.io.PrintStream@3298e969\n"));
        List<String> problems = problems(dir);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("java.io.PrintStream@3298e969") && problems.get(0).contains("String.format"),
                problems.get(0));
    }
}
