package dev.normgrad.tutorials.charts;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * Histograms already counted on fixed bins (as the experiments and the diagnostics record them), drawn
 * as lines of fractions so that several layers overlay, as in Glorot &amp; Bengio 2010, fig. 3 to 7.
 *
 * <p>The counts follow {@code Stats.histogram}'s layout: k + 1 increasing edges give k + 2 counts, the
 * first the values below {@code edges[0]}, the last those at or above {@code edges[k]}. The chart draws
 * the k inner bins as steps from edge to edge; each fraction is of the whole sample, so the part outside the
 * range is what a curve is missing ({@link #outsideFraction}), and the legend says how much.
 *
 * <pre>{@code
 * var layers = new LinkedHashMap<String, long[]>();
 * layers.put("layer 1", snapshot1.logAbsGradientHistogram());
 * CountHistograms.draw("log10 |dL/ds|", "log10 |g|", Stats.edges(-20, 0, 20), layers);
 * }</pre>
 */
public final class CountHistograms {
    private CountHistograms() {
    }

    /**
     * One line per sample: the fraction of its values in each inner bin, at the bin's centre. A sample
     * with values outside the range says how many in its legend name ("layer 1, 12% below -20"), so no
     * mass is silently left out.
     *
     * @param edges  k + 1 increasing bin edges
     * @param counts legend name → k + 2 counts (below, k inner bins, above)
     * @throws IllegalArgumentException if there is no sample, a sample has the wrong number of counts or none at all
     */
    public static BufferedImage draw(String title, String xLabel, double[] edges, Map<String, long[]> counts) {
        return Charts.image(chart(title, xLabel, edges, counts));
    }

    /** The chart behind {@link #draw}, to put beside others of the same bins with {@link Charts#grid} (one y scale). */
    public static XYChart chart(String title, String xLabel, double[] edges, Map<String, long[]> counts) {
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("CountHistograms.draw: no histogram to draw; pass at least one name → counts");
        }
        // drawn as steps: each bin's fraction level from its lower to its upper edge, so the ticks fall on edges
        int k = edges.length - 1;
        double[] x = new double[2 * k];
        for (int i = 0; i < k; i++) {
            x[2 * i] = edges[i];
            x[2 * i + 1] = edges[i + 1];
        }
        Map<String, double[]> steps = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            double[] f = innerFractions(e.getKey(), edges, e.getValue());
            double[] y = new double[2 * k];
            for (int i = 0; i < k; i++) {
                y[2 * i] = f[i];
                y[2 * i + 1] = f[i];
            }
            steps.put(e.getKey() + outsideNote(edges, e.getValue()), y);
        }
        return Charts.chart(title, xLabel, "fraction of values", x, steps, Charts.Scale.LINEAR, Charts.Scale.LINEAR);
    }

    /** ", 12% below -20, 3% above 0" for the mass outside the edges; empty when there is none. */
    static String outsideNote(double[] edges, long[] counts) {
        double[] out = outsideFraction(edges, counts);
        StringBuilder s = new StringBuilder();
        if (out[0] > 0) {
            s.append(", ").append(percent(out[0])).append(" below ").append(edge(edges[0]));
        }
        if (out[1] > 0) {
            s.append(", ").append(percent(out[1])).append(" at or above ").append(edge(edges[edges.length - 1]));
        }
        return s.toString();
    }

    private static String percent(double f) {
        double p = 100 * f;
        return p >= 1 ? String.format(Locale.ROOT, "%.0f%%", p) : p >= 0.1 ? String.format(Locale.ROOT, "%.1f%%", p) : "<0.1%";
    }

    private static String edge(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The centres of the k inner bins. */
    public static double[] centres(double[] edges) {
        double[] c = new double[edges.length - 1];
        for (int i = 0; i < c.length; i++) {
            c[i] = (edges[i] + edges[i + 1]) / 2;
        }
        return c;
    }

    /** The fraction of all counted values in each of the k inner bins. */
    public static double[] innerFractions(String name, double[] edges, long[] counts) {
        long total = total(name, edges, counts);
        double[] f = new double[edges.length - 1];
        for (int i = 0; i < f.length; i++) {
            f[i] = (double) counts[i + 1] / total;
        }
        return f;
    }

    /** The fraction of the values below the first edge and at or above the last: {below, above}. */
    public static double[] outsideFraction(double[] edges, long[] counts) {
        long total = total("counts", edges, counts);
        return new double[] {(double) counts[0] / total, (double) counts[counts.length - 1] / total};
    }

    private static long total(String name, double[] edges, long[] counts) {
        if (edges.length < 2 || counts.length != edges.length + 1) {
            throw new IllegalArgumentException("CountHistograms: '" + name + "' has " + counts.length + " counts for "
                    + edges.length + " edges; expected edges.length + 1 (below, each bin, above)");
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            throw new IllegalArgumentException("CountHistograms: '" + name + "' counts no value");
        }
        return total;
    }
}
