package dev.normgrad.tutorials.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Which units of a network are saturated, drawn as a map (after Karpathy's "makemore" lectures): one
 * row of panels per network, one panel per layer, in each panel one row per example and one column
 * per unit, white where the unit is saturated (a flat part of its nonlinearity, where almost no
 * gradient passes), dark blue where it is not. A white column is a unit saturated for every example:
 * dead for learning.
 */
public final class SaturationMap {
    private static final int CELL = 2;
    private static final int GAP = 10;
    private static final int LABEL = 150;
    private static final int TITLE = 34;
    private static final int HEADER = 18;
    private static final Color UNSATURATED = new Color(20, 40, 110);

    /**
     * One network's map.
     *
     * @param name   the row's label, e.g. "tanh, N(0,1^2)"
     * @param layers per layer, saturated[example][unit]
     */
    public record Network(String name, List<boolean[][]> layers) {
    }

    private SaturationMap() {
    }

    /**
     * The maps of several networks, one row each; every layer of every network must have the same
     * examples and units.
     *
     * @throws IllegalArgumentException if there is no network, or the layers differ in shape
     */
    public static BufferedImage draw(String title, List<Network> networks) {
        if (networks.isEmpty() || networks.get(0).layers().isEmpty()) {
            throw new IllegalArgumentException("SaturationMap.draw: no network or no layer to draw");
        }
        boolean[][] first = networks.get(0).layers().get(0);
        int examples = first.length;
        int units = first[0].length;
        int layers = networks.get(0).layers().size();
        for (Network n : networks) {
            if (n.layers().size() != layers) {
                throw new IllegalArgumentException("SaturationMap.draw: '" + n.name() + "' has " + n.layers().size()
                        + " layers, the first network " + layers);
            }
            for (boolean[][] l : n.layers()) {
                if (l.length != examples || l[0].length != units) {
                    throw new IllegalArgumentException("SaturationMap.draw: '" + n.name() + "' has a layer of " + l.length + " x "
                            + l[0].length + " (examples x units), the first " + examples + " x " + units);
                }
            }
        }
        int panelW = units * CELL;
        int panelH = examples * CELL;
        int width = LABEL + layers * (panelW + GAP);
        int height = TITLE + HEADER + networks.size() * (panelH + GAP) + HEADER;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 8, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int l = 0; l < layers; l++) {
                g.drawString("layer " + (l + 1), LABEL + l * (panelW + GAP), TITLE + 12);
            }
            for (int n = 0; n < networks.size(); n++) {
                int top = TITLE + HEADER + n * (panelH + GAP);
                g.setColor(Color.BLACK);
                g.drawString(networks.get(n).name(), 8, top + panelH / 2 + 4);
                for (int l = 0; l < layers; l++) {
                    int left = LABEL + l * (panelW + GAP);
                    boolean[][] s = networks.get(n).layers().get(l);
                    for (int e = 0; e < examples; e++) {
                        for (int u = 0; u < units; u++) {
                            g.setColor(s[e][u] ? Color.WHITE : UNSATURATED);
                            g.fillRect(left + u * CELL, top + e * CELL, CELL, CELL);
                        }
                    }
                    g.setColor(Color.GRAY);
                    g.drawRect(left - 1, top - 1, panelW + 1, panelH + 1);
                }
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString("each panel: " + examples + " examples (rows) x " + units + " units (columns); white = saturated",
                    LABEL, height - 5);
        } finally {
            g.dispose();
        }
        return img;
    }
}
