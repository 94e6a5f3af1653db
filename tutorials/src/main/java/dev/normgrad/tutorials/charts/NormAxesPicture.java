package dev.normgrad.tutorials.charts;

import dev.normgrad.norm.StatisticsSet;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The picture of Wu &amp; He, <i>Group Normalization</i> (2018), fig. 2, drawn from the
 * {@link StatisticsSet}s the layers compute with: a batch as NormGrad stores it, N rows (samples) of
 * C blocks (channels) of L positions, one small square per entry, every entry coloured by the
 * statistic it shares (one colour per mean and variance). BatchNorm colours columns of blocks across
 * the batch, LayerNorm whole rows, InstanceNorm single blocks, GroupNorm runs of C/G blocks.
 *
 * <p>The colours are computed, not drawn by hand: entry k = n·W + j of the N × W batch belongs to
 * statistic {@code (k / inner) mod groups} of its {@link StatisticsSet}(outer, groups, inner)
 * ({@link #statisticOf}). Each panel also outlines the entries of one statistic, the one the first
 * entry belongs to.
 *
 * <pre>{@code
 * BufferedImage img = NormAxesPicture.family(4, 4, 3, 2);   // N = 4, C = 4, L = 3, GroupNorm with G = 2
 * }</pre>
 */
public final class NormAxesPicture {
    /** Side of one entry's square, in pixels. */
    public static final int CELL = 16;
    private static final int CHANNEL_GAP = 5;
    private static final int MARGIN = 18;
    private static final int TITLE_HEIGHT = 60;
    private static final int PANELS_PER_ROW = 3;

    private NormAxesPicture() {
    }

    /**
     * One panel: a layer's name, a line on what it normalizes over, and its statistics set.
     *
     * @param title    the layer ("LayerNorm")
     * @param subtitle what one statistic covers ("per sample: over C and L")
     * @param set      the statistics set for the picture's N, C, L
     */
    public record Panel(String title, String subtitle, StatisticsSet set) {
    }

    /**
     * The five layers for a batch of {@code n} samples of {@code channels} × {@code length}, built with
     * the factories of {@link StatisticsSet} (GroupNorm with {@code groups} groups).
     */
    public static List<Panel> familyPanels(int n, int channels, int length, int groups) {
        int width = channels * length;
        List<Panel> panels = new ArrayList<>();
        panels.add(new Panel("BatchNorm", "per channel: over N and L", StatisticsSet.batchNorm(n, channels, length)));
        panels.add(new Panel("LayerNorm", "per sample: over C and L", StatisticsSet.layerNorm(n, width, width)));
        panels.add(new Panel("InstanceNorm", "per sample × channel: over L", StatisticsSet.instanceNorm(n, channels, length)));
        panels.add(new Panel("GroupNorm(" + groups + ")", "per sample × group: over C/G and L",
                StatisticsSet.groupNorm(n, groups, channels, length)));
        panels.add(new Panel("RMSNorm", "LayerNorm's sets; no mean subtracted", StatisticsSet.rmsNorm(n, width, width)));
        return panels;
    }

    /** {@link #draw} of {@link #familyPanels}. */
    public static BufferedImage family(int n, int channels, int length, int groups) {
        return draw(n, channels, length, familyPanels(n, channels, length, groups));
    }

    /**
     * Which statistic each entry of an N × (C·L) batch shares: {@code [n][j]} = the index, in
     * 0 … groups − 1, of the mean and variance that entry (sample n, column j) is normalized with.
     *
     * @throws IllegalArgumentException if the set does not cover exactly n · width entries
     */
    public static int[][] statisticOf(StatisticsSet set, int n, int width) {
        if (set.size() != (long) n * width) {
            throw new IllegalArgumentException("NormAxesPicture: the statistics set covers " + set.size()
                    + " entries (outer " + set.outer() + " × groups " + set.groups() + " × inner " + set.inner()
                    + ") but the batch has " + n + " × " + width + " = " + (long) n * width + "; build it for the same N, C, L");
        }
        int[][] g = new int[n][width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                long k = (long) r * width + j;
                g[r][j] = (int) ((k / set.inner()) % set.groups());
            }
        }
        return g;
    }

    /** The colour of statistic g of {@code groups}: hues spread by the golden ratio, so neighbours differ. */
    public static Color colour(int g, int groups) {
        float hue = (float) ((g * 0.618033988749895) % 1.0);
        return Color.getHSBColor(hue, groups == 1 ? 0.45f : 0.55f, 0.95f);
    }

    /**
     * Draws the panels side by side (three per row) for a batch of {@code n} samples of
     * {@code channels} blocks of {@code length} positions.
     *
     * @throws IllegalArgumentException if there is no panel, or a panel's set does not fit the batch
     */
    public static BufferedImage draw(int n, int channels, int length, List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("NormAxesPicture.draw: no panels; pass at least one");
        }
        if (n <= 0 || channels <= 0 || length <= 0) {
            throw new IllegalArgumentException("NormAxesPicture.draw: N, C and L must be positive, got " + n + ", "
                    + channels + ", " + length);
        }
        int width = channels * length;
        int gridW = width * CELL + (channels - 1) * CHANNEL_GAP;
        int gridH = n * CELL;
        int panelW = Math.max(gridW + 2 * MARGIN, 270);
        int panelH = TITLE_HEIGHT + gridH + 2 * MARGIN + 14;
        int cols = Math.min(PANELS_PER_ROW, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        int footer = 40;
        BufferedImage img = new BufferedImage(cols * panelW, rows * panelH + footer, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = img.createGraphics();
        try {
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g2.setColor(Color.WHITE);
            g2.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int p = 0; p < panels.size(); p++) {
                int x0 = (p % cols) * panelW;
                int y0 = (p / cols) * panelH;
                drawPanel(g2, panels.get(p), n, channels, length, x0 + (panelW - gridW) / 2, y0, panelW, x0);
            }
            g2.setColor(Color.DARK_GRAY);
            g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int fy = rows * panelH + 16;
            g2.drawString("Rows: the N = " + n + " samples of a batch. Columns: C = " + channels + " channels of L = "
                    + length + " positions (NormGrad's N × (C·L) layout).", 10, fy);
            g2.drawString("One colour = one mean and one variance; the outlined entries share the statistic of the"
                    + " top-left entry.", 10, fy + 16);
        } finally {
            g2.dispose();
        }
        return img;
    }

    private static void drawPanel(Graphics2D g2, Panel panel, int n, int channels, int length, int gx, int y0, int panelW,
                                  int x0) {
        int width = channels * length;
        int[][] stat = statisticOf(panel.set(), n, width);
        int groups = panel.set().groups();
        g2.setColor(Color.BLACK);
        g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        centre(g2, panel.title(), x0 + panelW / 2, y0 + 18);
        g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g2.setColor(Color.DARK_GRAY);
        centre(g2, panel.subtitle(), x0 + panelW / 2, y0 + 34);
        String what = panel.set().centred() ? (groups == 1 ? " mean and variance" : " means and variances")
                : (groups == 1 ? " root mean square" : " root mean squares");
        centre(g2, groups + what, x0 + panelW / 2, y0 + 48);
        int gy = y0 + TITLE_HEIGHT;
        int watched = stat[0][0];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                int cx = gx + j * CELL + (j / length) * CHANNEL_GAP;
                int cy = gy + r * CELL;
                g2.setColor(colour(stat[r][j], groups));
                g2.fillRect(cx, cy, CELL, CELL);
                g2.setColor(Color.WHITE);
                g2.setStroke(new BasicStroke(1f));
                g2.drawRect(cx, cy, CELL, CELL);
            }
        }
        // outline the watched statistic's entries, edge by edge, so a set spread over rows reads as one
        g2.setColor(Color.BLACK);
        g2.setStroke(new BasicStroke(2.2f));
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                if (stat[r][j] != watched) {
                    continue;
                }
                int cx = gx + j * CELL + (j / length) * CHANNEL_GAP;
                int cy = gy + r * CELL;
                boolean sameLeft = j > 0 && j % length != 0 && stat[r][j - 1] == watched;
                boolean sameRight = j + 1 < width && (j + 1) % length != 0 && stat[r][j + 1] == watched;
                boolean sameUp = r > 0 && stat[r - 1][j] == watched;
                boolean sameDown = r + 1 < n && stat[r + 1][j] == watched;
                if (!sameLeft) {
                    g2.drawLine(cx, cy, cx, cy + CELL);
                }
                if (!sameRight) {
                    g2.drawLine(cx + CELL, cy, cx + CELL, cy + CELL);
                }
                if (!sameUp) {
                    g2.drawLine(cx, cy, cx + CELL, cy);
                }
                if (!sameDown) {
                    g2.drawLine(cx, cy + CELL, cx + CELL, cy + CELL);
                }
            }
        }
        g2.setStroke(new BasicStroke(1f));
        g2.setColor(Color.DARK_GRAY);
        g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int c = 0; c < channels; c++) {
            int cx = gx + c * (length * CELL + CHANNEL_GAP) + length * CELL / 2;
            centre(g2, "c" + c, cx, gy + n * CELL + 13);
        }
        for (int r = 0; r < n; r++) {
            g2.drawString("n" + r, gx - 16, gy + r * CELL + CELL - 4);
        }
    }

    private static void centre(Graphics2D g2, String text, int cx, int baseline) {
        int w = g2.getFontMetrics().stringWidth(text);
        g2.drawString(text, cx - w / 2, baseline);
    }
}
