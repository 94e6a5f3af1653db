package dev.normgrad.tutorials.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * No chart of the course overprints its tick labels: every label drawn on the x axis stands at least
 * {@value #X_GAP} pixels (about a space) clear of its neighbours, and on the y axis at least
 * {@value #GAP} pixel, measured from the text's own outline.
 */
class TickLabelsTest {
    /** The clearance asked between two neighbouring labels, in pixels. */
    static final double GAP = 1;
    /** The clearance asked between two neighbouring x labels, which stand side by side in one line. */
    static final double X_GAP = 4;

    private static Map<String, double[]> one(String name, double[] y) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put(name, y);
        return m;
    }

    private static double[] logSpaced(double from, double to, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from * Math.pow(to / from, i / (double) (n - 1));
        }
        return v;
    }

    private static void assertClear(XYChart chart) {
        List<String> crowded = TickLabels.crowded(chart, GAP, X_GAP);
        assertTrue(crowded.isEmpty(), String.join("\n", crowded));
        assertTrue(TickLabels.x(chart).size() >= 2, "the x axis has at least two labels: " + TickLabels.x(chart));
        assertTrue(TickLabels.y(chart).size() >= 2, "the y axis has at least two labels: " + TickLabels.y(chart));
    }

    @Test
    void theMeasureFindsTheOverprintOfXChartsOwnLogAxis() {
        // what the tutorials drew before: XChart's log axis labelling 2, 3, ... 9 in every decade
        XYChart raw = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT).title("raw").build();
        raw.getStyler().setXAxisLogarithmic(true);
        raw.getStyler().setXAxisLogarithmicDecadeOnly(false);
        raw.addSeries("error", logSpaced(1e-10, 0.1, 10), logSpaced(1e-9, 1, 10));
        assertFalse(TickLabels.crowded(raw, GAP, X_GAP).isEmpty(), "XChart's 2..9 labels on a log axis overprint");
    }

    @Test
    void aLogLogSweepOverTenDecadesIsReadable() {
        Map<String, double[]> errors = new LinkedHashMap<>();
        errors.put("float64", logSpaced(2e-10, 2.5e-5, 10));
        errors.put("float32", logSpaced(3e-4, 5, 10));
        assertClear(Charts.chart("error against step", "step h", "max |analytic - numeric|", logSpaced(1e-10, 0.1, 10), errors,
                Charts.Scale.LOG, Charts.Scale.LOG));
    }

    @Test
    void gradientNormsOverHundredsOfDecadesAreReadable() {
        double[] vanished = logSpaced(1e-300, 1, 50);
        assertClear(Charts.chart("norms", "time step t", "norm", null, one("ρ = 0.5", vanished), Charts.Scale.LINEAR,
                Charts.Scale.LOG));
        assertClear(Charts.chart("norms", "time step t", "norm", null, one("ρ = 0.5", logSpaced(1e-15, 30, 50)),
                Charts.Scale.LINEAR, Charts.Scale.LOG));
    }

    @Test
    void initScalesAndBatchSizesAreReadable() {
        double[] sigmas = {0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10};
        assertClear(Charts.chart("steps to 90%", "σ of N(0, σ²)", "steps", sigmas, one("relu", new double[] {
            3000, 3000, 900, 300, 150, 100, 200, 3000, 3000}), Charts.Scale.LOG, Charts.Scale.LINEAR));
        double[] batches = {2, 4, 8, 16, 32, 64, 128};
        assertClear(Charts.chart("accuracy", "batch size", "test accuracy", batches, one("BN", new double[] {
            0.45, 0.9, 0.96, 0.97, 0.98, 0.98, 0.97}), Charts.Scale.LOG, Charts.Scale.LINEAR));
    }

    @Test
    void windowsOfStepsNotStartingAtARoundNumberAreLabelledAtRoundSteps() {
        double[] steps = new double[30];
        double[] mse = new double[30];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = 50 * i + 25;
            mse[i] = 0.2 * Math.exp(-i / 6.0) + 1e-3;
        }
        XYChart chart = Charts.chart("adding problem", "step", "MSE", steps, one("GRU", mse), Charts.Scale.LINEAR, Charts.Scale.LOG);
        assertClear(chart);
        for (TickLabels.Label l : TickLabels.x(chart)) {
            assertEquals(0, Double.parseDouble(l.text()) % 100, 0, "labels at round steps: " + TickLabels.x(chart));
        }
    }

    @Test
    void longRunsAndShortLogRangesAreReadable() {
        double[] steps = new double[31];
        double[] acc = new double[31];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = 100 * i;
            acc[i] = 1 - 0.9 * Math.exp(-i / 5.0);
        }
        assertClear(Charts.chart("figure 1", "step", "test accuracy", steps, one("with BN", acc), Charts.Scale.LINEAR,
                Charts.Scale.LINEAR));
        // a loss spanning less than two decades still gets labels between its decades
        assertClear(Charts.chart("loss", "step", "loss", null, one("loss", logSpaced(2.3, 0.05, 150)), Charts.Scale.LINEAR,
                Charts.Scale.LOG));
    }

    @Test
    void histogramsAndPanelsOfAGridAreReadable() {
        double[] edges = new double[41];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = -20 + 0.5 * i;
        }
        long[] counts = new long[42];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = i % 7;
        }
        Map<String, long[]> layers = new LinkedHashMap<>();
        layers.put("layer 1", counts);
        assertClear(CountHistograms.chart("gradients", "log10 |dL/ds|", edges, layers));
    }

    @Property(tries = 60)
    void anyDataRangeGivesClearLabels(@ForAll @DoubleRange(min = -12, max = 3) double lowDecade,
                                      @ForAll @DoubleRange(min = 0.05, max = 40) double decades,
                                      @ForAll @IntRange(min = 3, max = 400) int points,
                                      @ForAll boolean logY) {
        assertClearLabels(lowDecade, decades, points, logY);
    }

    @Test
    void aNarrowLinearRangeOfNearlyEvenValuesGetsClearLabels() {
        // values 0 … 0.05 spaced almost evenly: XChart's own y ticks stood at data values, under a pixel apart
        assertClearLabels(0.0, 0.05, 205, false);
    }

    private static void assertClearLabels(double lowDecade, double decades, int points, boolean logY) {
        double lo = Math.pow(10, lowDecade);
        double hi = lo * Math.pow(10, decades);
        double[] y = logY ? logSpaced(lo, hi, points) : logSpaced(lo, hi, points).clone();
        if (!logY) {
            for (int i = 0; i < y.length; i++) {
                // a linear range of any width and offset, with the unevenness of measured values (a series
                // whose values are exactly evenly spaced gets XChart's labels at every value, 1.1 heights apart)
                y[i] = lowDecade + decades * (i + 0.3 * Math.sin(7.0 * i)) / (points - 1.0);
            }
        }
        double[] x = new double[points];
        for (int i = 0; i < points; i++) {
            x[i] = i * Math.pow(10, Math.floor(lowDecade / 3));
        }
        XYChart chart = Charts.chart("any", "x", "y", x, one("values", y), Charts.Scale.LINEAR,
                logY ? Charts.Scale.LOG : Charts.Scale.LINEAR);
        assertEquals(List.of(), TickLabels.crowded(chart, GAP, X_GAP));
    }
}
