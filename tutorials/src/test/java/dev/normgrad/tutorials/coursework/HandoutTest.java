package dev.normgrad.tutorials.coursework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HandoutTest {
    private static final String TWO_REGIONS = """
            class Op extends Function {
                protected DMatrixRMaj forward(DMatrixRMaj... in) {
                    x = in[0];
                    // BEGIN SOLUTION
                    return x.copy();
                    // END SOLUTION
                }

                protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
                    if (dx[0] != null) {
                        // BEGIN SOLUTION
                        dx[0].plus(dy);
                        // END SOLUTION
                    }
                }
            }
            """;

    @Test
    void releaseReplacesEachMarkedRegionWithABodyThatThrowsNamingItsMethod() {
        assertEquals("""
                class Op extends Function {
                    protected DMatrixRMaj forward(DMatrixRMaj... in) {
                        x = in[0];
                        // YOUR CODE HERE
                        throw new UnsupportedOperationException("Op.forward: not written yet");
                    }

                    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
                        if (dx[0] != null) {
                            // YOUR CODE HERE
                            throw new UnsupportedOperationException("Op.backward: not written yet");
                        }
                    }
                }
                """, Handout.release(TWO_REGIONS, "Op"));
    }

    @Test
    void unbalancedMarkersAreRefused() {
        assertTrue(assertThrows(IllegalStateException.class, () -> Handout.release("// BEGIN SOLUTION\nx();\n", "Op")).getMessage()
                .contains("Op.java, line 1: BEGIN SOLUTION is never closed"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Handout.release("x();\n// END SOLUTION\n", "Op")).getMessage()
                .contains("line 2: END SOLUTION without BEGIN SOLUTION"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Handout.release("// BEGIN SOLUTION\n// BEGIN SOLUTION\n", "Op"))
                .getMessage().contains("line 2: BEGIN SOLUTION inside another"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Handout.release("x();\n", "Op")).getMessage()
                .contains("no BEGIN SOLUTION / END SOLUTION region"));
    }

    @Test
    void everyHandoutHasItsReadmeFilledInAndItsNotebookInTheStyleOfChapterSeven() {
        Handout.NotebookJars jars = new Handout.NotebookJars(Path.of("/opt/normgrad/tutorials/target/normgrad-tutorials.jar"));
        for (Assignment a : Assignments.all()) {
            Handout h = new Handout(a, false);
            String readme = h.readme();
            assertFalse(readme.contains("{{"), readme);
            for (String section : new String[] {"## What you write", "## The math", "## Shapes and conventions", "## Check your work",
                    "## Hand in"}) {
                assertTrue(readme.contains(section), a.name() + " README lacks " + section);
            }
            JsonObject nb = JsonParser.parseString(h.notebook(jars)).getAsJsonObject();
            JsonArray cells = nb.getAsJsonArray("cells");
            String jarCell = String.join("", cells.get(2).getAsJsonObject().getAsJsonArray("source").asList().stream()
                    .map(e -> e.getAsString()).toList());
            assertEquals("%jar /opt/normgrad/tutorials/target/normgrad-tutorials.jar", jarCell);
            assertEquals("remove-output", cells.get(2).getAsJsonObject().getAsJsonObject("metadata").getAsJsonArray("tags").get(0).getAsString());
            String exercise = String.join("", cells.get(6).getAsJsonObject().getAsJsonArray("source").asList().stream()
                    .map(e -> e.getAsString()).toList());
            assertTrue(exercise.startsWith("// ============================== EXERCISE") && exercise.contains("class " + a.className()
                    + " extends Function") && !exercise.contains("public class"), exercise);
            assertEquals(new Handout(a, false).source().lines().filter(l -> l.contains("YOUR CODE HERE")).count(),
                    exercise.lines().filter(l -> l.contains("YOUR CODE HERE")).count());
        }
    }
}
