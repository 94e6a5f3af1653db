package dev.normgrad.tutorials.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts for the tutorials, the notebooks and the command line, drawn with XChart into images.
 *
 * <p>In a notebook, a {@link BufferedImage} shows inline when it is the last expression of a cell.
 * Images are plain functions of their data (fixed size, no timestamps), so a re-rendered tutorial
 * changes only when its numbers do. Works headless ({@code -Djava.awt.headless=true}).
 *
 * <pre>{@code
 * var losses = new LinkedHashMap<String, double[]>();
 * losses.put("without BatchNorm", plain);
 * losses.put("with BatchNorm", normalized);
 * BufferedImage img = Charts.lineOverSteps("Training loss", "loss", losses, Charts.Scale.LOG);
 * }</pre>
 *
 * <h2>What every chart does for its reader</h2>
 * <ul>
 *   <li>Tick labels never overlap: a log axis is drawn as log10 of the values on a linear axis,
 *       labelled at whole decades (or, when the data spans less than two decades, at a few values of
 *       two significant digits), and XChart thins the labels until each fits its space.</li>
 *   <li>No series hides another: the first series is drawn widest and each later one narrower, so a
 *       series lying exactly on an earlier one shows as a line inside a wider band of the other colour;
 *       markers differ in shape from one series to the next.</li>
 *   <li>Panels meant to be compared share their y scale ({@link #grid}).</li>
 *   <li>A reference level (chance accuracy, a rule of thumb) is a dashed grey line ({@link #guide}).</li>
 *   <li>A title too wide for the chart is refused rather than cut off.</li>
 * </ul>
 */
public final class Charts {

    /** Default image width in pixels. */
    public static final int WIDTH = 640;
    /** Default image height in pixels. */
    public static final int HEIGHT = 400;
    /** Where {@link #gradientNormsOverTime} draws a norm that underflowed to 0. */
    public static final double LOG_FLOOR = 1e-300;

    /** What a plot leaves of the chart's width besides a legend on its right: the y axis, its labels and margins. */
    private static final int PLOT_MARGINS = 110;

    /** The width a legend entry takes beside its name: the line sample and the gaps. */
    private static final int LEGEND_ENTRY = 45;

    /** Line widths of the 1st, 2nd, ... series (the last repeats): later series are drawn inside earlier ones. */
    private static final float[] LINE_WIDTHS = {5.0f, 3.4f, 2.4f, 1.7f, 1.2f, 1.0f};
    /** Marker shapes of the 1st, 2nd, ... series (cycled): a marker on top of another leaves the other's corners visible. */
    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
        SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};

    /**
     * The label of a tick that shows none: XChart cannot lay out an empty string, and repeated blanks make
     * it thin the ticks until only labelled ones are left.
     */
    private static final String BLANK = " ";

    /** How an axis is scaled. */
    public enum Scale {
        /** Equal distances for equal differences. */
        LINEAR,
        /** Equal distances for equal ratios: for losses and gradient norms spanning decades; every value must be positive. */
        LOG
    }

    /** The name of the invisible series {@link #keepYTicksRound} adds. */
    private static final String RANGE_ENDS = "range ends (not drawn)";

    /** An XChart line chart that remembers how its axes are scaled: a log axis holds log10 of the values. */
    private static final class Plot extends XYChart {
        final Scale xScale;
        final Scale yScale;
        final boolean doublingX;
        double xLo = Double.NaN;
        double xHi = Double.NaN;

        Plot(Scale xScale, Scale yScale, boolean doublingX) {
            super(WIDTH, HEIGHT);
            this.xScale = xScale;
            this.yScale = yScale;
            this.doublingX = doublingX;
        }
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
        return image(chart(title, "step", yLabel, null, series, Scale.LINEAR, scale));
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
        return image(chart(title, "step", yLabel, steps, series, Scale.LINEAR, scale));
    }

    /**
     * The chart behind {@link #lineOverSteps}, for further styling before {@link #image(XYChart)}.
     *
     * @param steps the x positions, or null for 0, 1, 2, ...
     * @throws IllegalArgumentException if there is no series, lengths differ, or a log scale meets a value ≤ 0
     */
    public static XYChart lineChart(String title, String yLabel, double[] steps, Map<String, double[]> series,
                                    Scale scale) {
        return chart(title, "step", yLabel, steps, series, Scale.LINEAR, scale);
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
     * @param xScale the x axis scale (LOG for batch sizes and init scales; values that double are labelled as such)
     * @param yScale the y axis scale
     */
    public static BufferedImage line(String title, String xLabel, String yLabel, double[] x,
                                     Map<String, double[]> series, Scale xScale, Scale yScale) {
        return image(chart(title, xLabel, yLabel, x, series, xScale, yScale));
    }

    /**
     * The chart behind {@link #line}: add {@link #guide guides}, put several in a {@link #grid}, or
     * draw it with {@link #image(XYChart)}.
     *
     * @throws IllegalArgumentException if there is no series, lengths differ, or a log scale meets a value ≤ 0
     */
    public static XYChart chart(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series,
                                Scale xScale, Scale yScale) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("Charts: no series to draw in '" + title + "'; pass at least one name → values");
        }
        boolean doubling = xScale == Scale.LOG && x != null && powersOfTwo(x);
        Plot chart = new Plot(xScale, yScale, doubling);
        chart.setTitle(title);
        chart.setXAxisTitle(xLabel);
        chart.setYAxisTitle(yLabel);
        XYStyler styler = chart.getStyler();
        style(styler, series.size());
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        int index = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String name = e.getKey();
            double[] y = e.getValue();
            double[] xs = x != null ? x : indices(y.length);
            if (xs.length != y.length) {
                throw new IllegalArgumentException("Charts: series '" + name + "' has " + y.length + " values for "
                        + xs.length + " x positions (" + xLabel + "); give one value per x position");
            }
            if (y.length == 0) {
                throw new IllegalArgumentException("Charts: series '" + name + "' is empty");
            }
            checkPositive(name, xLabel, xs, y, yScale);
            if (xScale == Scale.LOG) {
                for (double v : xs) {
                    if (!(v > 0)) {
                        throw new IllegalArgumentException("Charts: x = " + v + " on a log x axis in series '" + name
                                + "'; a log scale shows only positive values: use Scale.LINEAR for x");
                    }
                }
            }
            double[] px = doubling ? log2(xs) : xScale == Scale.LOG ? log10(xs) : xs;
            double[] py = yScale == Scale.LOG ? log10(y) : y;
            for (int i = 0; i < py.length; i++) {
                if (Double.isFinite(py[i])) {
                    yLo = Math.min(yLo, py[i]);
                    yHi = Math.max(yHi, py[i]);
                }
                xLo = Math.min(xLo, px[i]);
                xHi = Math.max(xHi, px[i]);
            }
            XYSeries s = chart.addSeries(name, px, py);
            s.setMarker(x != null && xs.length <= 12 ? MARKERS[index % MARKERS.length] : SeriesMarkers.NONE);
            s.setLineWidth(LINE_WIDTHS[Math.min(index, LINE_WIDTHS.length - 1)]);
            index++;
        }
        if (doubling) {
            chart.setCustomXAxisTickLabelsFormatter(v -> v == Math.rint(v) ? String.valueOf(1L << (long) Math.rint(v)) : BLANK);
        } else if (xScale == Scale.LOG) {
            logAxis(chart, xLo, xHi, true);
        } else {
            chart.xLo = xLo;
            chart.xHi = xHi;
        }
        if (yScale == Scale.LOG && yLo <= yHi) {
            logAxis(chart, yLo, yHi, false);
        }
        layout(chart);
        return chart;
    }

    /** The names the legend shows, in order. */
    private static List<String> legendNames(Plot chart) {
        return chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList();
    }

    /**
     * XChart puts the y ticks at the data's own values when it finds those evenly spaced to within an
     * absolute 1e-4, which any finely sampled narrow range is; their labels then overprint. A first,
     * invisible series holding the range's two ends makes the values uneven, so XChart computes round
     * ticks; a chart whose values XChart does not take as evenly spaced is left as it is.
     */
    private static void keepYTicksRound(Plot chart) {
        Set<Double> seen = new LinkedHashSet<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double v : s.getYData()) {
                seen.add(v);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        List<Double> values = new ArrayList<>(seen);
        if (values.size() < 3 || !(hi - lo >= 1e-4) || chart.getSeriesMap().containsKey(RANGE_ENDS)) {
            return;
        }
        double space = values.get(1) - values.get(0);
        for (int i = 2; i < values.size(); i++) {
            if (!(Math.abs(values.get(i) - values.get(i - 1) - space) < 1e-4)) {
                return;
            }
        }
        double x0 = chart.getSeriesMap().values().iterator().next().getXData()[0];
        XYSeries ends = chart.addSeries(RANGE_ENDS, new double[] {x0, x0}, new double[] {lo, hi});
        ends.setShowInLegend(false);
        ends.setMarker(SeriesMarkers.NONE);
        ends.setLineStyle(SeriesLines.NONE);
        Map<String, XYSeries> drawn = new LinkedHashMap<>(chart.getSeriesMap());
        chart.getSeriesMap().clear();
        chart.getSeriesMap().put(RANGE_ENDS, ends);
        chart.getSeriesMap().putAll(drawn);
    }

    /** The legend's width when it stands in a column to the right of the plot, else 0. */
    private static double legendWidth(Plot chart) {
        if (chart.getStyler().getLegendPosition() != Styler.LegendPosition.OutsideE || legendNames(chart).size() < 2) {
            return 0;
        }
        java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, true, true);
        double widest = 0;
        for (String name : legendNames(chart)) {
            widest = Math.max(widest, new java.awt.font.TextLayout(name, chart.getStyler().getLegendFont(), frc).getBounds().getWidth());
        }
        return widest + LEGEND_ENTRY + 20;
    }

    /**
     * Places the legend where every name shows: in one row below the plot when the names fit in it,
     * else in a column to its right; then checks that the title fits above the plot.
     */
    private static void layout(Plot chart) {
        keepYTicksRound(chart);
        XYStyler styler = chart.getStyler();
        java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, true, true);
        double row = 0;
        double widest = 0;
        List<String> names = legendNames(chart);
        for (String name : names) {
            double w = new java.awt.font.TextLayout(name, styler.getLegendFont(), frc).getBounds().getWidth() + LEGEND_ENTRY;
            row += w;
            widest = Math.max(widest, w);
        }
        int count = names.size();
        boolean below = count <= 3 && row <= WIDTH - 40;
        styler.setLegendPosition(below ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
        styler.setLegendLayout(below ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        styler.setLegendVisible(count > 1);
        if (!Double.isNaN(chart.xLo)) {
            linearXAxis(chart, chart.xLo, chart.xHi);
        }
        double room = WIDTH - 20 - (count > 1 && !below ? widest + 20 : 0);
        double title = new java.awt.font.TextLayout(chart.getTitle(), styler.getChartTitleFont(), frc).getBounds().getWidth();
        if (title > room) {
            throw new IllegalArgumentException("Charts: the title '" + chart.getTitle() + "' is " + Math.round(title)
                    + " pixels wide and would be cut off above a plot " + Math.round(room) + " pixels wide; shorten it (the axis"
                    + " titles and the legend can say the rest)");
        }
    }

    /**
     * Adds a reference level as a dashed grey horizontal line across the chart's x range, named in the
     * legend (say, "chance (0.100)" or "1e-3, a rule of thumb"). On a log y axis the level must be positive.
     *
     * @param chart a chart from this class
     * @return the chart
     */
    public static XYChart guide(XYChart chart, String name, double level) {
        Plot plot = plot(chart);
        if (plot.yScale == Scale.LOG && !(level > 0)) {
            throw new IllegalArgumentException("Charts.guide: level " + level + " of '" + name + "' on a log y axis; give a positive level");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : plot.getSeriesMap().values()) {
            for (double v : s.getXData()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double y = plot.yScale == Scale.LOG ? StrictMath.log10(level) : level;
        XYSeries s = plot.addSeries(name, new double[] {lo, hi}, new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.GRAY);
        s.setLineWidth(1.5f);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        if (plot.yScale == Scale.LOG) {
            widenLogAxis(plot, y);
        }
        layout(plot);
        return plot;
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
        Map<String, double[]> floored = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : norms.entrySet()) {
            double[] y = e.getValue().clone();
            for (int t = 0; t < y.length; t++) {
                if (y[t] == 0) {
                    y[t] = LOG_FLOOR;
                }
            }
            floored.put(e.getKey(), y);
        }
        return image(chart(title, "time step t", "‖∂L/∂h_t‖ (log scale)", null, floored, Scale.LINEAR, Scale.LOG));
    }

    /**
     * Several charts side by side, {@code columns} per row, on one y scale: the lowest and the highest
     * y of all panels (panels meant to be compared must not each stretch their own axis). Every panel
     * keeps its size.
     *
     * @param panels charts from this class, all with the same y scale (linear or log)
     * @throws IllegalArgumentException if columns &lt; 1, there is no panel, or the panels mix linear and log y axes
     */
    public static BufferedImage grid(int columns, List<XYChart> panels) {
        if (columns < 1 || panels.isEmpty()) {
            throw new IllegalArgumentException("Charts.grid: " + panels.size() + " panels in " + columns
                    + " columns; give at least one panel and one column");
        }
        Scale yScale = plot(panels.get(0)).yScale;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYChart c : panels) {
            if (plot(c).yScale != yScale) {
                throw new IllegalArgumentException("Charts.grid: the panels mix linear and log y axes; one scale is needed"
                        + " to compare them");
            }
            for (XYSeries s : c.getSeriesMap().values()) {
                for (double v : s.getYData()) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        for (XYChart c : panels) {
            if (yScale == Scale.LOG) {
                logAxis((Plot) c, lo, hi, false);
            } else if (lo < hi) {
                double pad = (hi - lo) * 0.03;
                c.getStyler().setYAxisMin(lo - pad);
                c.getStyler().setYAxisMax(hi + pad);
            }
        }
        List<BufferedImage> images = panels.stream().map(Charts::image).toList();
        return images(columns, images);
    }

    /**
     * Images side by side, {@code columns} per row, on a white background; every image keeps its size,
     * the grid is as large as its widest row and its rows.
     *
     * @throws IllegalArgumentException if columns &lt; 1 or there is no image
     */
    public static BufferedImage images(int columns, List<BufferedImage> images) {
        if (columns < 1 || images.isEmpty()) {
            throw new IllegalArgumentException("Charts.images: " + images.size() + " images in " + columns
                    + " columns; give at least one image and one column");
        }
        int rows = (images.size() + columns - 1) / columns;
        int cellWidth = 0;
        int cellHeight = 0;
        for (BufferedImage p : images) {
            cellWidth = Math.max(cellWidth, p.getWidth());
            cellHeight = Math.max(cellHeight, p.getHeight());
        }
        BufferedImage out = new BufferedImage(cellWidth * Math.min(columns, images.size()), cellHeight * rows,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < images.size(); i++) {
                g.drawImage(images.get(i), (i % columns) * cellWidth, (i / columns) * cellHeight, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** What every chart shares: white background; the legend goes outside the plot (inside, it can hide data), see {@link #layout}. */
    private static void style(XYStyler styler, int seriesCount) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setMarkerSize(9);
    }

    /**
     * A log axis holding log10 of the values (lo, hi): whole decades from floor(lo) to ceil(hi), labelled
     * at whole decades; when that is fewer than three decades, also at values of two significant digits.
     */
    private static void logAxis(Plot chart, double lo, double hi, boolean x) {
        double min = Math.floor(lo);
        double max = Math.ceil(hi);
        if (max <= min) {
            max = min + 1;
        }
        boolean fine = max - min < 3;
        Function<Double, String> label = v -> {
            if (Math.abs(v - Math.rint(v)) < 1e-9) {
                return decade((int) Math.rint(v));
            }
            return fine ? twoDigits(StrictMath.pow(10, v)) : BLANK;
        };
        if (x) {
            chart.getStyler().setXAxisMin(min);
            chart.getStyler().setXAxisMax(max);
            chart.setCustomXAxisTickLabelsFormatter(label);
        } else {
            chart.getStyler().setYAxisMin(min);
            chart.getStyler().setYAxisMax(max);
            chart.setCustomYAxisTickLabelsFormatter(label);
        }
    }

    /**
     * A linear x axis labelled only at multiples of a round step (1, 2 or 5 times a power of ten) whose
     * labels stand at least half a label apart at this chart's plot width, from a multiple below the data
     * to one above it: step counts such as 0, 50, …, 1450 read 0, 200, 400, … (or 0, 500, 1000), never
     * 50, 150, …. XChart then keeps only ticks at those multiples.
     */
    private static void linearXAxis(Plot chart, double lo, double hi) {
        if (!(hi > lo)) {
            return;
        }
        double plotWidth = WIDTH - PLOT_MARGINS - legendWidth(chart);
        java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, true, true);
        java.awt.Font font = chart.getStyler().getAxisTickLabelsFont();
        double step = Math.pow(10, Math.floor(StrictMath.log10((hi - lo) / 50)));
        for (int tries = 0; tries < 40; tries++) {
            double min = Math.floor(lo / step + 1e-9) * step;
            double max = Math.ceil(hi / step - 1e-9) * step;
            double widest = 0;
            for (double v : new double[] {min, max, min + step, max - step, (min + max) / 2}) {
                widest = Math.max(widest, new java.awt.font.TextLayout(multiple(Math.rint(v / step), step), font, frc).getBounds().getWidth());
            }
            if (step / (max - min) * plotWidth >= 1.5 * widest + 4) {
                break;
            }
            double mantissa = step / Math.pow(10, Math.floor(StrictMath.log10(step) + 1e-9));
            step = mantissa < 1.5 ? 2 * step : mantissa < 3 ? 2.5 * step : 2 * step;   // 1 → 2 → 5 → 10
        }
        double s = step;
        chart.getStyler().setXAxisMin(Math.floor(lo / s + 1e-9) * s);
        chart.getStyler().setXAxisMax(Math.ceil(hi / s - 1e-9) * s);
        chart.setCustomXAxisTickLabelsFormatter(v -> {
            double k = v / s;
            return Math.abs(k - Math.rint(k)) > 1e-6 ? BLANK : multiple(Math.rint(k), s);
        });
    }

    /** k · step, written without trailing zeros or binary noise: 1400, 0.25, 1e-05. */
    private static String multiple(double k, double step) {
        return new BigDecimal(k).multiply(new BigDecimal(String.valueOf(step))).stripTrailingZeros().toPlainString();
    }

    /** Extends a log y axis to a decade that holds the log10 level y. */
    private static void widenLogAxis(Plot chart, double y) {
        double min = chart.getStyler().getYAxisMin() == null ? Math.floor(y) : Math.min(chart.getStyler().getYAxisMin(), Math.floor(y));
        double max = chart.getStyler().getYAxisMax() == null ? Math.ceil(y) : Math.max(chart.getStyler().getYAxisMax(), Math.ceil(y));
        logAxis(chart, min, max, false);
    }

    /** 10^k as a reader writes it: 0.001 … 10000 in full, 1e-5 and 1e5 beyond. */
    static String decade(int k) {
        if (k >= -3 && k <= 4) {
            return BigDecimal.ONE.scaleByPowerOfTen(k).toPlainString();
        }
        return "1e" + k;
    }

    /** v to two significant digits, plain between 0.001 and 10000, else as 3.2e-5. */
    static String twoDigits(double v) {
        BigDecimal d = new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros();
        if (v >= 1e-3 && v < 1e4) {
            return d.toPlainString();
        }
        return String.format(Locale.ROOT, "%.1e", v).replaceAll("\\.0e", "e").replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }

    private static Plot plot(XYChart chart) {
        if (!(chart instanceof Plot p)) {
            throw new IllegalArgumentException("Charts: this chart was not made by Charts.chart, Charts.lineChart or"
                    + " CountHistograms.chart; its axes' scales are unknown");
        }
        return p;
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

    private static double[] log10(double[] v) {
        double[] l = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = StrictMath.log10(v[i]);
        }
        return l;
    }

    private static void checkPositive(String name, String xLabel, double[] x, double[] y, Scale scale) {
        if (scale != Scale.LOG) {
            return;
        }
        for (int i = 0; i < y.length; i++) {
            if (!(y[i] > 0)) {
                throw new IllegalArgumentException("Charts: series '" + name + "' has " + y[i] + " at " + xLabel + " "
                        + trim(x[i]) + "; a log scale shows only positive values: use Scale.LINEAR,"
                        + " or plot the values clipped to a floor such as 1e-300");
            }
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
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
