package dev.normgrad.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The claims table of tutorials/README.md: one row per claim the course tests, in the article's own
 * words, in order; and each claim's verdict worded the same in the table, in a chapter the row links,
 * and in the repository's README.
 */
class ClaimsTableTest {
    /** The claims a typical glossary article on normalization layers makes, restated; the table keeps these words. */
    static final List<String> CLAIMS = List.of(
            "A normalization layer gives its inputs zero mean and unit variance, using the mean and variance of the activations; "
                    + "a learnable linear transform (scale and shift) follows, so the network can adjust the normalization.",
            "It speeds up convergence: the model learns faster and more stably.",
            "It mitigates vanishing gradients in deep networks, keeping gradients from becoming too small or too large.",
            "It reduces sensitivity to the initialisation of the weights.",
            "It improves generalization.",
            "Batch normalization normalizes over mini-batches; layer normalization over the features of each example individually.",
            "Batch normalization is widely used in **convolutional** networks, because it stabilizes learning over mini-batches; "
                    + "layer normalization is better suited to **recurrent** networks, where it is applied to each example independently.",
            "The choice of its parameters is crucial and can change performance significantly; in some cases normalization is "
                    + "unnecessary or even hurts, especially in very small networks or particular tasks.",
            "TensorFlow and PyTorch ship ready-to-use normalization layers, and configuring their parameters correctly is what "
                    + "makes them work as intended.");

    private static final Pattern CHAPTER_LINK = Pattern.compile("\\((\\d\\d-[a-z0-9-]+)\\.md[#)]");

    @Test
    void oneRowPerClaimInTheArticlesWords() throws IOException {
        List<String[]> rows = ProseNumbersTest.claimRows();
        assertEquals(CLAIMS.size(), rows.size(), "one row per claim");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(String.valueOf(i + 1), rows.get(i)[0].strip(), "row " + (i + 1) + " is claim " + (i + 1));
            assertEquals(CLAIMS.get(i), rows.get(i)[1].strip(), "claim " + (i + 1) + " in the article's words");
        }
    }

    @Test
    void everyVerdictIsWordedTheSameInTheTableAChapterAndTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8).replace("\n", " ").replaceAll(" +", " ");
        List<String> problems = new ArrayList<>();
        for (String[] row : ProseNumbersTest.claimRows()) {
            String claim = row[0].strip();
            String verdict = row[row.length - 1].strip();
            if (verdict.isEmpty()) {
                problems.add("claim " + claim + " has no verdict");
                continue;
            }
            if (!readme.contains(verdict)) {
                problems.add("claim " + claim + ": README.md does not give the verdict \"" + verdict + "\"");
            }
            boolean inAChapter = false;
            Matcher m = CHAPTER_LINK.matcher(String.join("|", row));
            while (m.find()) {
                Path notebook = ProseNumbersTest.NOTEBOOKS.resolve(m.group(1) + ".ipynb");
                if (Files.isRegularFile(notebook)) {
                    for (RenderedChapter.Cell c : ProseNumbersTest.chapter(m.group(1)).markdownCells()) {
                        inAChapter |= c.source().replace("\n", " ").replaceAll(" +", " ").contains(verdict);
                    }
                }
            }
            if (!inAChapter) {
                problems.add("claim " + claim + ": no chapter the row links states the verdict \"" + verdict + "\"");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
