package dev.normgrad.tutorials.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static Map<String, double[]> twoSeries() {
        double[] fast = new double[50];
        double[] slow = new double[50];
        for (int i = 0; i < 50; i++) {
            fast[i] = Math.exp(-0.2 * i);
            slow[i] = Math.exp(-0.02 * i);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("with BatchNorm", fast);
        series.put("without", slow);
        return series;
    }

    @Test
    void rendersALogScaleChartToAPngFile(@TempDir Path dir) throws IOException {
        BufferedImage img = Charts.lineOverSteps("Training loss", "loss", twoSeries(), Charts.Scale.LOG);
        Path file = dir.resolve("charts/loss.png");
        Charts.writePng(img, file);

        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4), "a PNG signature");
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(Charts.WIDTH, read.getWidth());
        assertEquals(Charts.HEIGHT, read.getHeight());
        assertTrue(distinctColours(read) > 10, "the chart should draw lines, text and axes, not a blank image");
    }

    @Test
    void sameDataGivesTheSamePngBytes() {
        byte[] first = Charts.png(Charts.lineOverSteps("Loss", "loss", twoSeries(), Charts.Scale.LINEAR));
        byte[] second = Charts.png(Charts.lineOverSteps("Loss", "loss", twoSeries(), Charts.Scale.LINEAR));
        assertArrayEquals(first, second, "re-rendered figures must not churn");
    }

    @Test
    void differentDataGivesADifferentImage() {
        Map<String, double[]> other = twoSeries();
        other.get("without")[10] = 0.01;
        byte[] a = Charts.png(Charts.lineOverSteps("Loss", "loss", twoSeries(), Charts.Scale.LINEAR));
        byte[] b = Charts.png(Charts.lineOverSteps("Loss", "loss", other, Charts.Scale.LINEAR));
        assertTrue(!java.util.Arrays.equals(a, b));
    }

    @Test
    void explicitStepsPlaceTheValues() {
        double[] steps = {0, 100, 200, 300};
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("test accuracy", new double[] {0.1, 0.6, 0.8, 0.9});
        BufferedImage img = Charts.lineOverSteps("Accuracy", "accuracy", steps, acc, Charts.Scale.LINEAR);
        assertEquals(Charts.WIDTH, img.getWidth());
        assertEquals(Charts.HEIGHT, img.getHeight());
    }

    @Test
    void logScaleRejectsZeroNamingSeriesAndStep() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("layer 1 gradient norm", new double[] {1e-3, 1e-9, 0.0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lineOverSteps("Gradients", "norm", series, Charts.Scale.LOG));
        assertTrue(e.getMessage().contains("'layer 1 gradient norm'"), e.getMessage());
        assertTrue(e.getMessage().contains("at step 2"), e.getMessage());
        assertTrue(e.getMessage().contains("Scale.LINEAR"), e.getMessage());
    }

    @Test
    void stepsAndValuesOfDifferentLengthAreAnError() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("loss", new double[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lineOverSteps("Loss", "loss", new double[] {0, 1}, series, Charts.Scale.LINEAR));
        assertTrue(e.getMessage().contains("3 values for 2 x positions"), e.getMessage());
    }

    @Test
    void noSeriesIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> Charts.lineOverSteps("Loss", "loss", new LinkedHashMap<>(), Charts.Scale.LINEAR));
    }

    @Test
    void gradientNormsOverTimeDrawsUnderflowAtTheFloor() {
        Map<String, double[]> norms = new LinkedHashMap<>();
        norms.put("radius 0.5", new double[] {0.0, 1e-200, 1e-3, 1});
        norms.put("radius 1.5", new double[] {1e9, 1e6, 1e3, 1});
        BufferedImage img = Charts.gradientNormsOverTime("‖∂L/∂h_t‖", norms);
        assertEquals(Charts.HEIGHT, img.getHeight());
        norms.put("broken", new double[] {-1, 1, 1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.gradientNormsOverTime("‖∂L/∂h_t‖", norms));
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains("time step t 0"), e.getMessage());
    }

    @Test
    void lineOnALogXAxisRejectsZeroAndDrawsBatchSizes() {
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("BatchNorm", new double[] {0.5, 0.8, 0.9});
        acc.put("LayerNorm", new double[] {0.85, 0.9, 0.92});
        BufferedImage img = Charts.line("Accuracy", "batch size", "test accuracy", new double[] {2, 8, 32}, acc,
                Charts.Scale.LOG, Charts.Scale.LINEAR);
        assertEquals(Charts.WIDTH, img.getWidth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.line("Accuracy", "batch size", "accuracy", new double[] {0, 8, 32}, acc,
                        Charts.Scale.LOG, Charts.Scale.LINEAR));
        assertTrue(e.getMessage().contains("log x axis"), e.getMessage());
        // init scales that do not double stay on a true log axis
        BufferedImage scales = Charts.line("Accuracy", "init scale", "accuracy", new double[] {0.01, 0.1, 1}, acc,
                Charts.Scale.LOG, Charts.Scale.LINEAR);
        assertEquals(Charts.WIDTH, scales.getWidth());
        assertFalse(java.util.Arrays.equals(Charts.png(img), Charts.png(scales)));
    }

    @Test
    void aTitleTooWideToShowIsRefused() {
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("BN", new double[] {0.5, 0.9});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.line(
                "Test accuracy against batch size (3 epochs, Adam 0.003, mean of 3 seeds and then some)", "batch", "accuracy",
                new double[] {2, 4}, acc, Charts.Scale.LOG, Charts.Scale.LINEAR));
        assertTrue(e.getMessage().contains("would be cut off") && e.getMessage().contains("shorten it"), e.getMessage());
    }

    @Test
    void aGuideIsDrawnAsANamedDashedLineAndAGridSharesItsYScale() {
        Map<String, double[]> low = new LinkedHashMap<>();
        low.put("a", new double[] {0.1, 0.2});
        Map<String, double[]> high = new LinkedHashMap<>();
        high.put("a", new double[] {0.8, 0.9});
        org.knowm.xchart.XYChart left = Charts.chart("low", "x", "y", null, low, Charts.Scale.LINEAR, Charts.Scale.LINEAR);
        org.knowm.xchart.XYChart right = Charts.chart("high", "x", "y", null, high, Charts.Scale.LINEAR, Charts.Scale.LINEAR);
        Charts.guide(right, "chance", 0.1);
        assertTrue(right.getSeriesMap().containsKey("chance"));
        BufferedImage grid = Charts.grid(2, java.util.List.of(left, right));
        assertEquals(2 * Charts.WIDTH, grid.getWidth());
        assertEquals(left.getStyler().getYAxisMin(), right.getStyler().getYAxisMin(), "one y scale");
        assertEquals(left.getStyler().getYAxisMax(), right.getStyler().getYAxisMax(), "one y scale");
        assertTrue(left.getStyler().getYAxisMin() <= 0.1 && left.getStyler().getYAxisMax() >= 0.9);
    }

    @Test
    void legendNamesThatDoNotFitInARowGoInAColumnAndAGuideCounts() {
        Map<String, double[]> shortNames = new LinkedHashMap<>();
        shortNames.put("BN", new double[] {1, 2});
        shortNames.put("LN", new double[] {2, 3});
        org.knowm.xchart.XYChart row = Charts.chart("short", "x", "y", null, shortNames, Charts.Scale.LINEAR, Charts.Scale.LINEAR);
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideS, row.getStyler().getLegendPosition());
        Charts.guide(row, "chance", 1.5);
        Charts.guide(row, "budget", 2.5);
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideE, row.getStyler().getLegendPosition(), "four names: a column");
        Map<String, double[]> longNames = new LinkedHashMap<>();
        longNames.put("recurrent-BN-LSTM, training mode (test batch's statistics)", new double[] {1, 2});
        longNames.put("recurrent-BN-LSTM, evaluation mode (running statistics)", new double[] {2, 3});
        org.knowm.xchart.XYChart column = Charts.chart("long", "x", "y", null, longNames, Charts.Scale.LINEAR, Charts.Scale.LINEAR);
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideE, column.getStyler().getLegendPosition());
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
