package dev.normgrad.tutorials.charts;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.CategoryStyler;
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
    /** Where {@link #gradientNormsOverTime} draws a norm that underflowed to 0. */
    public static final double LOG_FLOOR = 1e-300;

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
        return lineChart(title, "step", yLabel, steps, series, Scale.LINEAR, scale);
    }

    /**
     * A line chart of one or more series against any x: time steps, batch sizes, init scales.
     *
     * <pre>{@code
     * Charts.line("Test accuracy against batch size", "batch size", "accuracy",
     *         new double[] {2, 4, 8, 16, 32, 64, 128}, accuracies, Charts.Scale.LOG, Charts.Scale.LINEAR);
     * }</pre>
     *
     * @param x      the x positions, shared by every series, or null for 0, 1, 2, ...
     * @param series legend name → values, one per x position
     * @param xScale the x axis scale (LOG for batch sizes and init scales that double)
     * @param yScale the y axis scale
     */
    public static BufferedImage line(String title, String xLabel, String yLabel, double[] x,
                                     Map<String, double[]> series, Scale xScale, Scale yScale) {
        return image(lineChart(title, xLabel, yLabel, x, series, xScale, yScale));
    }

    /**
     * Per-time-step gradient norms ‖∂L/∂h_t‖ of recurrent nets on a log scale: vanishing shows as a
     * line falling by decades towards t = 0, exploding as one rising.
     *
     * <p>Norms that underflowed to 0 are drawn at {@link #LOG_FLOOR} (a log axis cannot show 0);
     * a negative or NaN norm is an error.
     *
     * @param norms legend name → ‖∂L/∂h_t‖ for t = 0, 1, ..., T−1
     */
    public static BufferedImage gradientNormsOverTime(String title, Map<String, double[]> norms) {
        Map<String, double[]> floored = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : norms.entrySet()) {
            double[] y = e.getValue().clone();
            for (int t = 0; t < y.length; t++) {
                if (y[t] == 0) {
                    y[t] = LOG_FLOOR;
                }
            }
            floored.put(e.getKey(), y);
        }
        return image(lineChart(title, "time step t", "‖∂L/∂h_t‖ (log scale)", null, floored,
                Scale.LINEAR, Scale.LOG));
    }

    /**
     * Histograms of several samples on shared bins, drawn as lines (one per series) so that layers
     * overlay legibly, as in Glorot &amp; Bengio 2010, fig. 3 to 7. The y value is the fraction of the
     * sample in each bin, so samples of different sizes compare.
     *
     * @param samples legend name → values (e.g. "layer 1" → that layer's activations)
     * @param bins    number of equal-width bins between the smallest and the largest value of all samples
     */
    public static BufferedImage histograms(String title, String xLabel, Map<String, double[]> samples, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] v : samples.values()) {
            for (double d : v) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        return histograms(title, xLabel, samples, bins, lo, hi);
    }

    /**
     * Histograms on given bins [lo, hi] (values outside are counted in the first or last bin), to
     * compare figures drawn on the same range.
     *
     * @throws IllegalArgumentException if bins &lt; 1, the range is empty or not finite, a sample is empty
     *                                  or holds a NaN
     */
    public static BufferedImage histograms(String title, String xLabel, Map<String, double[]> samples, int bins,
                                           double lo, double hi) {
        if (bins < 1) {
            throw new IllegalArgumentException("Charts.histograms: bins = " + bins + "; give at least 1");
        }
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi)) {
            throw new IllegalArgumentException("Charts.histograms: range [" + lo + ", " + hi
                    + "] is not a finite interval; are the samples empty or non-finite?");
        }
        double width = hi > lo ? (hi - lo) / bins : 1.0;
        double[] centres = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = lo + (b + 0.5) * width;
        }
        Map<String, double[]> fractions = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            double[] v = e.getValue();
            if (v.length == 0) {
                throw new IllegalArgumentException("Charts.histograms: sample '" + e.getKey() + "' is empty");
            }
            double[] f = new double[bins];
            for (double d : v) {
                if (Double.isNaN(d)) {
                    throw new IllegalArgumentException("Charts.histograms: sample '" + e.getKey()
                            + "' holds NaN; a histogram of NaN is meaningless (find where it came from)");
                }
                int b = (int) Math.floor((d - lo) / width);
                f[Math.max(0, Math.min(bins - 1, b))] += 1.0 / v.length;
            }
            fractions.put(e.getKey(), f);
        }
        XYChart chart = lineChart(title, xLabel, "fraction of values", centres, fractions, Scale.LINEAR, Scale.LINEAR);
        chart.getStyler().setXAxisDecimalPattern(Math.max(Math.abs(lo), Math.abs(hi)) < 0.01 ? "0.0E0" : "0.##");
        return image(chart);
    }

    /**
     * A grouped bar chart: one group per category (say, per layer), one bar per series (say, without
     * and with BatchNorm).
     *
     * @param categories the x labels, in order
     * @param series     legend name → one value per category
     * @param scale      the y axis scale
     */
    public static BufferedImage bars(String title, String xLabel, String yLabel, String[] categories,
                                     Map<String, double[]> series, Scale scale) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("Charts.bars: no series to draw; pass at least one name → values");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        CategoryStyler styler = chart.getStyler();
        style(styler, series.size(), scale);
        List<String> x = List.of(categories);
        double lowest = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue();
            if (y.length != categories.length) {
                throw new IllegalArgumentException("Charts.bars: series '" + e.getKey() + "' has " + y.length
                        + " values for " + categories.length + " categories; give one value per category");
            }
            checkPositive("Charts.bars", e.getKey(), "category", x.toArray(), y, scale);
            List<Double> values = new ArrayList<>(y.length);
            for (double v : y) {
                values.add(v);
            }
            chart.addSeries(e.getKey(), x, values);
            lowest = Math.min(lowest, java.util.Arrays.stream(y).min().orElse(lowest));
        }
        if (scale == Scale.LOG) {
            // bars grow from the axis floor; XChart would otherwise start them at 0, which a log axis lacks
            styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest)) - 1));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static XYChart lineChart(String title, String xLabel, String yLabel, double[] steps,
                                     Map<String, double[]> series, Scale xScale, Scale scale) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("Charts.lineOverSteps: no series to draw; pass at least one name → values");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler styler = chart.getStyler();
        style(styler, series.size(), scale);
        // x values that double (batch sizes 2, 4, ..., 128) are drawn at log2(x) on a linear axis whose
        // ticks are labelled with the values themselves; other log x axes label 2, 3, ... 9 as well as decades
        boolean doubling = xScale == Scale.LOG && steps != null && powersOfTwo(steps);
        styler.setXAxisLogarithmic(xScale == Scale.LOG && !doubling);
        styler.setXAxisLogarithmicDecadeOnly(false);
        if (doubling) {
            chart.setCustomXAxisTickLabelsFormatter(v -> v == Math.rint(v) ? String.valueOf(1L << (long) Math.rint(v)) : "");
        }
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
            Object[] xs = new Object[x.length];
            for (int i = 0; i < x.length; i++) {
                xs[i] = x[i];
            }
            checkPositive("Charts.lineOverSteps", name, xLabel, xs, y, scale);
            if (xScale == Scale.LOG) {
                for (double v : x) {
                    if (!(v > 0)) {
                        throw new IllegalArgumentException("Charts.line: x = " + v + " on a log x axis; a log scale"
                                + " shows only positive values: use Scale.LINEAR for x");
                    }
                }
            }
            for (double v : x) {
                integralSteps &= v == Math.rint(v);
            }
            XYSeries s = chart.addSeries(name, doubling ? log2(x) : x, y);
            s.setMarker(steps != null && x.length <= 12 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        if (integralSteps) {
            styler.setXAxisDecimalPattern("0");
        }
        return chart;
    }

    /** What every chart shares: white background, and a legend outside the plot (inside, it can hide data) when there is more than one series. */
    private static void style(AxesChartStyler styler, int seriesCount, Scale yScale) {
        styler.setChartBackgroundColor(Color.WHITE);
        // up to 3 names fit in one row below the plot; more go in a column to its right, where none is cut off
        boolean row = seriesCount <= 3;
        styler.setLegendPosition(row ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
        styler.setLegendLayout(row ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        styler.setLegendVisible(seriesCount > 1);
        styler.setYAxisLogarithmic(yScale == Scale.LOG);
    }

    private static boolean powersOfTwo(double[] x) {
        for (double v : x) {
            if (!(v >= 1 && v <= 1L << 52 && v == Math.rint(v) && Long.bitCount((long) v) == 1)) {
                return false;
            }
        }
        return true;
    }

    private static double[] log2(double[] x) {
        double[] l = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            l[i] = Long.numberOfTrailingZeros((long) x[i]);
        }
        return l;
    }

    private static void checkPositive(String where, String name, String xLabel, Object[] x, double[] y, Scale scale) {
        if (scale != Scale.LOG) {
            return;
        }
        for (int i = 0; i < y.length; i++) {
            if (!(y[i] > 0)) {
                throw new IllegalArgumentException(where + ": series '" + name + "' has " + y[i]
                        + " at " + xLabel + " " + x[i] + "; a log scale shows only positive values: use Scale.LINEAR,"
                        + " or plot the values clipped to a floor such as 1e-300");
            }
        }
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
