package dev.normgrad.tutorials.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Histograms already counted on fixed bins (as the experiments and the diagnostics record them), drawn
 * as lines of fractions so that several layers overlay, as in Glorot &amp; Bengio 2010, fig. 3 to 7.
 *
 * <p>The counts follow {@code Stats.histogram}'s layout: k + 1 increasing edges give k + 2 counts, the
 * first the values below {@code edges[0]}, the last those at or above {@code edges[k]}. The chart draws
 * the k inner bins at their centres; each fraction is of the whole sample, so the part outside the
 * range is what a curve is missing ({@link #outsideFraction}).
 *
 * <pre>{@code
 * var layers = new LinkedHashMap<String, long[]>();
 * layers.put("layer 1", snapshot1.logAbsGradientHistogram());
 * CountHistograms.draw("log10 |dL/ds|", "log10 |g|", VanishingGradients.LOG_GRADIENT_EDGES, layers);
 * }</pre>
 */
public final class CountHistograms {
    private CountHistograms() {
    }

    /**
     * One line per sample: the fraction of its values in each inner bin, at the bin's centre.
     *
     * @param edges  k + 1 increasing bin edges
     * @param counts legend name → k + 2 counts (below, k inner bins, above)
     * @throws IllegalArgumentException if there is no sample, a sample has the wrong number of counts or none at all
     */
    public static BufferedImage draw(String title, String xLabel, double[] edges, Map<String, long[]> counts) {
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("CountHistograms.draw: no histogram to draw; pass at least one name → counts");
        }
        Map<String, double[]> fractions = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            fractions.put(e.getKey(), innerFractions(e.getKey(), edges, e.getValue()));
        }
        return Charts.line(title, xLabel, "fraction of values", centres(edges), fractions, Charts.Scale.LINEAR, Charts.Scale.LINEAR);
    }

    /**
     * Several charts side by side, {@code columns} per row, on a white background (say, one histogram
     * per initialisation); every panel keeps its size, the grid is as large as its widest row and its rows.
     *
     * @throws IllegalArgumentException if columns &lt; 1 or there is no panel
     */
    public static BufferedImage grid(int columns, List<BufferedImage> panels) {
        if (columns < 1 || panels.isEmpty()) {
            throw new IllegalArgumentException("CountHistograms.grid: " + panels.size() + " panels in " + columns
                    + " columns; give at least one panel and one column");
        }
        int rows = (panels.size() + columns - 1) / columns;
        int cellWidth = 0;
        int cellHeight = 0;
        for (BufferedImage p : panels) {
            cellWidth = Math.max(cellWidth, p.getWidth());
            cellHeight = Math.max(cellHeight, p.getHeight());
        }
        int width = cellWidth * Math.min(columns, panels.size());
        BufferedImage out = new BufferedImage(width, cellHeight * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(panels.get(i), (i % columns) * cellWidth, (i / columns) * cellHeight, null);
            }
        } finally {
            g.dispose();
        }
        return out;
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
