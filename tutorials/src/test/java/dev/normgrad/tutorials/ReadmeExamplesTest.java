package dev.normgrad.tutorials;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * The README's Java examples run as printed: every {@code ```java} block is evaluated in JShell
 * (as a learner pasting it would), in order, with the project on the class path; a snippet that
 * does not compile or throws fails the test.
 */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    static List<String> javaBlocks(Path markdown) throws IOException {
        Matcher m = JAVA_BLOCK.matcher(Files.readString(markdown));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Evaluates a block snippet by snippet; returns what went wrong, or null. */
    static String evaluate(JShell shell, String block) {
        String remaining = block;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
            if (info.completeness() != SourceCodeAnalysis.Completeness.COMPLETE
                    && info.completeness() != SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI) {
                return "incomplete snippet: " + remaining.strip();
            }
            for (SnippetEvent e : shell.eval(info.source())) {
                if (e.status() == Snippet.Status.REJECTED) {
                    String why = shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).collect(Collectors.joining("; "));
                    return "does not compile: " + e.snippet().source().strip() + "\n  " + why;
                }
                if (e.exception() != null) {
                    return "throws " + e.exception() + ": " + e.snippet().source().strip();
                }
            }
            remaining = info.remaining();
        }
        return null;
    }

    @Test
    void everyJavaBlockOfTheReadmeRunsAsPrinted() throws IOException {
        Path readme = Path.of("..", "README.md");
        List<String> blocks = javaBlocks(readme);
        assertFalse(blocks.isEmpty(), "the README has Java examples");
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            for (int i = 0; i < blocks.size(); i++) {
                String problem = evaluate(shell, blocks.get(i));
                if (problem != null) {
                    fail("README java block " + (i + 1) + ": " + problem);
                }
            }
        }
    }

    @Test
    void evaluateReportsABrokenSnippet() {
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            String problem = evaluate(shell, "int x = \"not a number\";");
            assertTrue(problem != null && problem.startsWith("does not compile"), String.valueOf(problem));
            String thrown = evaluate(shell, "Object o = null; o.toString();");
            assertTrue(thrown != null && thrown.startsWith("throws"), String.valueOf(thrown));
        }
    }
}
