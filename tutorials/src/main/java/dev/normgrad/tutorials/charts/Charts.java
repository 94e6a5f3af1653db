package dev.normgrad.tutorials.charts;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts for the tutorials, the notebooks and the command line, drawn with XChart into images.
 *
 * <p>In a notebook, a {@link BufferedImage} shows inline: {@code display(Charts.lineOverSteps(...));}.
 * Images are plain functions of their data (fixed size, no timestamps), so a re-rendered tutorial
 * changes only when its numbers do. Works headless ({@code -Djava.awt.headless=true}).
 *
 * <pre>{@code
 * var losses = new LinkedHashMap<String, double[]>();
 * losses.put("without BatchNorm", plain);
 * losses.put("with BatchNorm", normalized);
 * BufferedImage img = Charts.lineOverSteps("Training loss", "loss", losses, Charts.Scale.LOG);
 * }</pre>
 */
public final class Charts {

    /** Default image width in pixels. */
    public static final int WIDTH = 640;
    /** Default image height in pixels. */
    public static final int HEIGHT = 400;

    /** How the y axis is scaled. */
    public enum Scale {
        /** Equal distances for equal differences. */
        LINEAR,
        /** Equal distances for equal ratios: for losses and gradient norms spanning decades; every value must be positive. */
        LOG
    }

    private Charts() {
    }

    /**
     * A line chart of one or more series against the step index 0, 1, 2, ...
     *
     * @param title  the chart's title
     * @param yLabel the y axis title (the x axis is "step")
     * @param series legend name → values, one per step, in the order they are drawn (use a LinkedHashMap)
     * @param scale  the y axis scale
     * @return the chart as an image of {@link #WIDTH} × {@link #HEIGHT} pixels
     */
    public static BufferedImage lineOverSteps(String title, String yLabel, Map<String, double[]> series, Scale scale) {
        return image(lineChart(title, yLabel, null, series, scale));
    }

    /**
     * A line chart of one or more series against given steps (say, the steps at which a test
     * accuracy was measured).
     *
     * @param steps  the x positions, shared by every series
     * @param series legend name → values, one per entry of {@code steps}
     */
    public static BufferedImage lineOverSteps(String title, String yLabel, double[] steps, Map<String, double[]> series,
                                              Scale scale) {
        return image(lineChart(title, yLabel, steps, series, scale));
    }

    /**
     * The XChart chart behind {@link #lineOverSteps}, for further styling before {@link #image(XYChart)}.
     *
     * @param steps the x positions, or null for 0, 1, 2, ...
     * @throws IllegalArgumentException if there is no series, lengths differ, or a log scale meets a value ≤ 0
     */
    public static XYChart lineChart(String title, String yLabel, double[] steps, Map<String, double[]> series,
                                    Scale scale) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("Charts.lineOverSteps: no series to draw; pass at least one name → values");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle("step").yAxisTitle(yLabel).build();
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setLegendVisible(series.size() > 1);
        styler.setYAxisLogarithmic(scale == Scale.LOG);
        boolean integralSteps = true;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String name = e.getKey();
            double[] y = e.getValue();
            double[] x = steps != null ? steps : indices(y.length);
            if (x.length != y.length) {
                throw new IllegalArgumentException("Charts.lineOverSteps: series '" + name + "' has " + y.length
                        + " values for " + x.length + " steps; give one value per step");
            }
            if (y.length == 0) {
                throw new IllegalArgumentException("Charts.lineOverSteps: series '" + name + "' is empty");
            }
            if (scale == Scale.LOG) {
                for (int i = 0; i < y.length; i++) {
                    if (!(y[i] > 0)) {
                        throw new IllegalArgumentException("Charts.lineOverSteps: series '" + name + "' has " + y[i]
                                + " at step " + x[i] + "; a log scale shows only positive values: use Scale.LINEAR,"
                                + " or plot the values clipped to a floor such as 1e-300");
                    }
                }
            }
            for (double v : x) {
                integralSteps &= v == Math.rint(v);
            }
            XYSeries s = chart.addSeries(name, x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        if (integralSteps) {
            styler.setXAxisDecimalPattern("0");
        }
        return chart;
    }

    /** Draws a chart into an image of the chart's size. */
    public static BufferedImage image(XYChart chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The image as PNG bytes (deterministic: no timestamp or other metadata). */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("Charts.png: could not encode the image", e);
        }
        return out.toByteArray();
    }

    /** Writes the image as a PNG file, creating parent folders. */
    public static void writePng(BufferedImage image, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, png(image));
        } catch (IOException e) {
            throw new UncheckedIOException("Charts.writePng: could not write " + file, e);
        }
    }

    private static double[] indices(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }
}
