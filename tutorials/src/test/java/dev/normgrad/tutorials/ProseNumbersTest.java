package dev.normgrad.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Prose that cannot go stale: every number a chapter's Markdown quotes appears in that chapter's
 * executed outputs (or is a literal of its code: a setting), and every number of the claims table
 * appears in the outputs of the chapters its row links. The outputs are the rendered tutorials'
 * ({@code tutorials/NAME.md}); that those equal a fresh execution is checked after the notebooks run
 * ({@code mvn verify -Pnotebooks}, ExecutedNotebooksIT). Applies to every notebook there is.
 */
class ProseNumbersTest {
    static final Path NOTEBOOKS = Path.of("..", "notebooks");
    static final Path TUTORIALS = Path.of("..", "tutorials");

    static List<String> chapterNames() throws IOException {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb"))
                    .map(n -> n.substring(0, n.length() - ".ipynb".length())).sorted().toList();
        }
    }

    static RenderedChapter chapter(String name) throws IOException {
        return RenderedChapter.read(NOTEBOOKS.resolve(name + ".ipynb"), TUTORIALS.resolve(name + ".md"));
    }

    /** The numbers a chapter shows: its outputs (timings left out) and its code's literals. */
    static List<Double> backing(RenderedChapter chapter) {
        List<Double> values = new ArrayList<>();
        for (String line : chapter.outputLines()) {
            if (!line.contains(RenderedChapter.TIMING) && !line.startsWith("![")) {
                values.addAll(ProseNumbers.shown(line));
            }
        }
        for (RenderedChapter.Cell c : chapter.codeCells()) {
            values.addAll(ProseNumbers.shown(c.source()));
        }
        return values;
    }

    private static String context(String text, String number) {
        int at = text.indexOf(number);
        if (at < 0) {
            return "";
        }
        String s = text.substring(Math.max(0, at - 50), Math.min(text.length(), at + number.length() + 30)).replace('\n', ' ');
        return " in \"…" + s + "…\"";
    }

    @Test
    void everyNumberInAChaptersProseIsInItsOutputs() throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> names = chapterNames();
        assertFalse(names.isEmpty(), "there are chapters");
        for (String name : names) {
            RenderedChapter chapter;
            try {
                chapter = chapter(name);
            } catch (IllegalStateException stale) {
                problems.add(stale.getMessage());
                continue;
            }
            List<Double> backing = backing(chapter);
            for (RenderedChapter.Cell cell : chapter.markdownCells()) {
                for (ProseNumbers.Quoted q : ProseNumbers.unbacked(cell.source(), backing)) {
                    problems.add(name + ", Markdown cell " + (cell.index() + 1) + ": " + q.text() + context(cell.source(), q.text()));
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " numbers in the chapters' prose appear in no output of their chapter"
                + " (rewrite the prose from the executed outputs, or print the number):\n" + String.join("\n", problems));
    }

    private static final Pattern CHAPTER_LINK = Pattern.compile("\\((\\d\\d-[a-z0-9-]+)\\.md[#)]");

    /** The rows of the claims table of tutorials/README.md: "| 1 | claim | chapter → figure | shows | verdict |". */
    static List<String[]> claimRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(TUTORIALS.resolve("README.md"), StandardCharsets.UTF_8)) {
            if (line.matches("\\|\\s*\\d+\\s*\\|.*")) {
                String[] cells = line.substring(1, line.lastIndexOf('|')).split("(?<!\\\\)\\|", -1);
                if (cells.length >= 5) {
                    rows.add(cells);
                }
            }
        }
        return rows;
    }

    @Test
    void everyNumberInTheClaimsTableIsInTheOutputsOfTheChaptersItLinks() throws IOException {
        List<String[]> rows = claimRows();
        assertFalse(rows.isEmpty(), "tutorials/README.md has a claims table");
        List<String> problems = new ArrayList<>();
        for (String[] row : rows) {
            String claim = row[0].strip();
            Set<String> linked = new LinkedHashSet<>();
            Matcher m = CHAPTER_LINK.matcher(String.join("|", row));
            while (m.find()) {
                linked.add(m.group(1));
            }
            if (linked.isEmpty()) {
                problems.add("claim " + claim + ": links no chapter");
                continue;
            }
            List<Double> backing = new ArrayList<>();
            for (String name : linked) {
                backing.addAll(backing(chapter(name)));
            }
            // the claim's own words (column 2) are the article's; the rest is what the course found
            for (int c = 2; c < row.length; c++) {
                for (ProseNumbers.Quoted q : ProseNumbers.unbacked(row[c], backing)) {
                    problems.add("claim " + claim + ": " + q.text() + context(row[c], q.text()) + " is in no output of " + linked);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    // ------------------------------------------------------------ the rules themselves

    private static List<String> texts(String prose) {
        return ProseNumbers.quoted(prose).stream().map(ProseNumbers.Quoted::text).toList();
    }

    @Test
    void quotedNumbersAreFoundInTheirWrittenForms() {
        assertEquals(List.of("0.958", "−0.031", "90 %", "1.3e-12", "1.3·10⁻¹²", "10⁻⁵", "2154", "0", "0.1"),
                texts("reaches 0.958, BN − plain = −0.031, 90 % of them, 1.3e-12 or 1.3·10⁻¹², ε = 10⁻⁵, 2154 steps, N(0, 0.1²)"));
        ProseNumbers.Quoted q = ProseNumbers.quoted("1.3·10⁻¹²").get(0);
        assertEquals(1.3e-12, q.value(), 1e-27);
        assertEquals(2, q.significant());
    }

    @Test
    void namesCodeMathCitationsAndReferencesAreNotQuotedNumbers() {
        assertEquals(List.of(), texts("W1 and BatchNorm1d, h_49, `lr = 0.5`, $\\sigma^2 = 1$, [chapter](04-batch-norm.md#x), "
                + "Glorot & Bengio 2010, Cooijmans et al. 2016, (Ioffe & Szegedy, 2015), (*Layer Normalization*, 2016), figure 1, claims 2 and 5, notebook 6, "
                + "fig. 2a, Part 2, row 7"));
    }

    @Test
    void aNumberIsBackedWhenAnOutputRoundsToItAsWritten() {
        assertTrue(ProseNumbers.unbacked("test accuracy 0.96", List.of(0.958)).isEmpty(), "0.958 rounds to 0.96");
        assertTrue(ProseNumbers.unbacked("a ratio of 1.3e-12", List.of(1.2987e-12)).isEmpty());
        assertTrue(ProseNumbers.unbacked("90 % test accuracy", List.of(0.9)).isEmpty());
        assertTrue(ProseNumbers.unbacked("BN − plain = −0.031", List.of(-0.031)).isEmpty());
        assertEquals(List.of("0.451"), ProseNumbers.unbacked("BN reaches 0.451", List.of(0.721, 0.593)).stream()
                .map(ProseNumbers.Quoted::text).toList(), "a stale number is caught");
        assertEquals(1, ProseNumbers.unbacked("0.97", List.of(0.958)).size(), "0.958 does not round to 0.97");
    }

    @Test
    void timingLinesBackNothing() {
        List<Double> none = new ArrayList<>();
        for (String line : List.of("timing: 0.452 ms per step", "test accuracy 0.958")) {
            if (!line.contains(RenderedChapter.TIMING)) {
                none.addAll(ProseNumbers.shown(line));
            }
        }
        assertEquals(1, ProseNumbers.unbacked("0.452 ms, and 0.958", none).size());
    }
}
