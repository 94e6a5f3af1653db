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
        org.knowm.xchart.XYSeries drawn = Charts.lineChart("Accuracy", "accuracy", steps, acc, Charts.Scale.LINEAR)
                .getSeriesMap().get("test accuracy");
        assertArrayEquals(steps, drawn.getXData(), 0.0, "each value at its step");
        assertArrayEquals(acc.get("test accuracy"), drawn.getYData(), 0.0);
        // and the picture is that chart's
        assertArrayEquals(Charts.png(Charts.image(Charts.lineChart("Accuracy", "accuracy", steps, acc, Charts.Scale.LINEAR))),
                Charts.png(Charts.lineOverSteps("Accuracy", "accuracy", steps, acc, Charts.Scale.LINEAR)));
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
        assertTrue(e.getMessage().contains("3 values for 2 steps"), e.getMessage());
    }

    @Test
    void noSeriesIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> Charts.lineOverSteps("Loss", "loss", new LinkedHashMap<>(), Charts.Scale.LINEAR));
    }

    @Test
    void histogramsCountFractionsOnSharedBins() {
        Map<String, double[]> samples = new LinkedHashMap<>();
        samples.put("layer 1", new double[] {0, 0, 0, 1});
        samples.put("layer 2", new double[] {0, 1, 1, 1});
        BufferedImage img = Charts.histograms("Activations", "activation", samples, 2);
        assertEquals(Charts.WIDTH, img.getWidth());
        assertTrue(distinctColours(img) > 3, "two series drawn");
        // the same data drawn twice gives the same picture; different fractions a different one
        byte[] a = Charts.png(img);
        samples.put("layer 2", new double[] {0, 0, 1, 1});
        byte[] b = Charts.png(Charts.histograms("Activations", "activation", samples, 2));
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void histogramOfNaNIsAnErrorNamingTheSample() {
        Map<String, double[]> samples = new LinkedHashMap<>();
        samples.put("layer 3 gradients", new double[] {0.1, Double.NaN});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.histograms("Gradients", "gradient", samples, 10, -1, 1));
        assertTrue(e.getMessage().contains("'layer 3 gradients'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Charts.histograms("G", "g", samples, 0, -1, 1));
    }

    @Test
    void gradientNormsOverTimeDrawsUnderflowAtTheFloor() {
        Map<String, double[]> norms = new LinkedHashMap<>();
        norms.put("radius 0.5", new double[] {0.0, 1e-200, 1e-3, 1});
        norms.put("radius 1.5", new double[] {1e9, 1e6, 1e3, 1});
        byte[] drawn = Charts.png(Charts.gradientNormsOverTime("‖∂L/∂h_t‖", norms));
        // the 0 is drawn exactly where LOG_FLOOR is drawn, and not where a small norm above the floor would be
        Map<String, double[]> atTheFloor = new LinkedHashMap<>(norms);
        atTheFloor.put("radius 0.5", new double[] {Charts.LOG_FLOOR, 1e-200, 1e-3, 1});
        assertArrayEquals(Charts.png(Charts.gradientNormsOverTime("‖∂L/∂h_t‖", atTheFloor)), drawn);
        Map<String, double[]> aboveTheFloor = new LinkedHashMap<>(norms);
        aboveTheFloor.put("radius 0.5", new double[] {1e-250, 1e-200, 1e-3, 1});
        assertFalse(java.util.Arrays.equals(Charts.png(Charts.gradientNormsOverTime("‖∂L/∂h_t‖", aboveTheFloor)), drawn));
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
    void barsNeedOneValuePerCategory() {
        Map<String, double[]> norms = new LinkedHashMap<>();
        norms.put("without BatchNorm", new double[] {1e-6, 1e-3, 1});
        norms.put("with BatchNorm", new double[] {0.5, 0.7, 1});
        BufferedImage img = Charts.bars("Gradient norm per layer", "layer", "‖∂L/∂W‖",
                new String[] {"1", "2", "3"}, norms, Charts.Scale.LOG);
        assertTrue(distinctColours(img) > 3);
        norms.put("short", new double[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.bars("G", "layer", "n", new String[] {"1", "2", "3"}, norms, Charts.Scale.LOG));
        assertTrue(e.getMessage().contains("1 values for 3 categories"), e.getMessage());
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
