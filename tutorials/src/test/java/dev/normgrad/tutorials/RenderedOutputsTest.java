package dev.normgrad.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.tutorials.charts.Charts;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison ExecutedNotebooksIT makes after the notebooks run, on renderings made up here. */
class RenderedOutputsTest {

    private static Path rendering(Path dir, String text, int colour) throws IOException {
        Files.createDirectories(dir.resolve("ch_files"));
        Files.writeString(dir.resolve("ch.md"), text);
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, colour);
        Charts.writePng(img, dir.resolve("ch_files/ch_3_0.png"));
        return dir;
    }

    private static final String TEXT = "# Ch\n```java\nrun();\n```\n\n    test accuracy 0.958\n    timing: 12.3 ms\n\n![png](ch_files/ch_3_0.png)\n";

    @Test
    void theSameRenderingShowsNoDifferenceAndTimingsAreExempt(@TempDir Path dir) throws IOException {
        Path a = rendering(dir.resolve("a"), TEXT, 0xff0000);
        Path b = rendering(dir.resolve("b"), TEXT.replace("12.3 ms", "14.1 ms"), 0xff0000);
        assertEquals(List.of(), RenderedOutputs.differences(a, b, "ch"));
        assertEquals(List.of("ch"), RenderedOutputs.chapters(a));
    }

    @Test
    void aChangedNumberOrPixelIsADifference(@TempDir Path dir) throws IOException {
        Path a = rendering(dir.resolve("a"), TEXT, 0xff0000);
        Path b = rendering(dir.resolve("b"), TEXT.replace("0.958", "0.721"), 0xff0000);
        List<String> text = RenderedOutputs.differences(a, b, "ch");
        assertEquals(1, text.size(), text.toString());
        assertTrue(text.get(0).contains("line 6") && text.get(0).contains("0.721"), text.get(0));
        Path c = rendering(dir.resolve("c"), TEXT, 0x00ff00);
        List<String> pixels = RenderedOutputs.differences(a, c, "ch");
        assertTrue(pixels.size() == 1 && pixels.get(0).contains("differs in 1 pixels"), pixels.toString());
        Files.delete(c.resolve("ch.md"));
        assertTrue(RenderedOutputs.differences(a, c, "ch").get(0).endsWith("is missing"));
    }
}
