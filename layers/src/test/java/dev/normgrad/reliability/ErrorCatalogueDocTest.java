package dev.normgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code layers/ERRORS.md} honest: it has at least 30 rows, numbered in order, each naming an
 * exception and a test method {@code Class#method} that exists, annotated {@code @Test} or
 * {@code @Property}, in the test sources of {@code framework}, {@code layers} or {@code tutorials} (the
 * command line's rows); and the README says how many there are.
 */
class ErrorCatalogueDocTest {
    private static final Path DOC = Path.of("ERRORS.md");
    private static final List<Path> TEST_ROOTS = List.of(Path.of("src/test/java"), Path.of("../framework/src/test/java"),
            Path.of("../tutorials/src/test/java"));
    private static final Path AMBIGUOUS = Path.of("(ambiguous)");
    private static final Pattern TEST_CELL = Pattern.compile("^([A-Z][A-Za-z0-9]*)#([a-z][A-Za-z0-9]*)$");

    /** The table's rows as cells, without the header and separator. */
    static List<String[]> rows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("| ") && Character.isDigit(line.charAt(2))) {
                String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
                rows.add(cells);
            }
        }
        return rows;
    }

    private static Path sourceOf(String simpleName, Map<String, Path> index) {
        Path p = index.get(simpleName);
        if (p == AMBIGUOUS) {
            fail("ERRORS.md names " + simpleName + ", a simple name used by two test classes; rename one");
        }
        if (p == null) {
            fail("ERRORS.md names " + simpleName + ", which is not a test class in " + TEST_ROOTS);
        }
        return p;
    }

    private static Map<String, Path> indexTestSources() throws IOException {
        Map<String, Path> index = new HashMap<>();
        for (Path root : TEST_ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String name = f.getFileName().toString().replace(".java", "");
                    // a simple name used in two packages (Fixtures) is ambiguous: the catalogue may not cite it
                    index.merge(name, f, (a, b) -> AMBIGUOUS);
                }
            }
        }
        return index;
    }

    @Test
    void everyRowNamesATestMethodThatExists() throws IOException {
        Map<String, Path> index = indexTestSources();
        List<String[]> rows = rows();
        assertTrue(rows.size() >= 30, "the catalogue has " + rows.size() + " rows; at least 30 expected");
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i);
            assertEquals(6, cells.length, "row " + (i + 1) + " has " + cells.length + " cells, expected 6: " + String.join(" | ", cells));
            assertEquals(String.valueOf(i + 1), cells[0].trim(), "rows are numbered in order");
            assertTrue(cells[3].contains("Exception") || cells[3].startsWith("none"),
                    "row " + (i + 1) + " names no exception type: " + cells[3]);
            Matcher m = TEST_CELL.matcher(cells[5].trim());
            assertTrue(m.matches(), "row " + (i + 1) + ": the test cell must read Class#method, got " + cells[5]);
            String source = Files.readString(sourceOf(m.group(1), index));
            Pattern method = Pattern.compile("@(Test|Property|ParameterizedTest)\\b[^{;]*?\\bvoid\\s+" + Pattern.quote(m.group(2)) + "\\s*\\(");
            assertTrue(method.matcher(source).find(), "row " + (i + 1) + ": " + m.group(1) + " has no test method " + m.group(2));
        }
    }

    @Test
    void theReadmeCountsTheCatalogueRows() throws IOException {
        Matcher m = Pattern.compile("\\(layers/ERRORS\\.md\\) lists (\\d+) such cases").matcher(Files.readString(Path.of("../README.md")));
        assertTrue(m.find(), "README.md no longer says how many cases layers/ERRORS.md lists");
        assertEquals(rows().size(), Integer.parseInt(m.group(1)), "README.md's count of the cases in layers/ERRORS.md");
    }

    @Test
    void theCheckRefusesARowNamingAMethodThatDoesNotExist() throws IOException {
        // the check above can fail: the pattern that finds test methods does not match a made-up name
        String source = Files.readString(sourceOf("ErrorCatalogueTest", indexTestSources()));
        Pattern real = Pattern.compile("@(Test|Property)\\b[^{;]*?\\bvoid\\s+aStateCarriedOverFromABatchOfAnotherSizeIsRefused\\s*\\(");
        Pattern madeUp = Pattern.compile("@(Test|Property)\\b[^{;]*?\\bvoid\\s+aStateCarriedOverFromABatchOfAnotherSize\\s*\\(");
        assertTrue(real.matcher(source).find());
        assertTrue(!madeUp.matcher(source).find());
    }
}
