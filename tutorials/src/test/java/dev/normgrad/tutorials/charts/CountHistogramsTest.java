package dev.normgrad.tutorials.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountHistogramsTest {
    private static final double[] EDGES = {0, 1, 2, 3};

    @Test
    void innerFractionsAreOfTheWholeSampleIncludingTheOutsideCounts() {
        long[] counts = {2, 1, 4, 1, 2};   // 2 below, 6 inside, 2 above
        assertArrayEquals(new double[] {0.1, 0.4, 0.1}, CountHistograms.innerFractions("a", EDGES, counts), 1e-15);
        assertArrayEquals(new double[] {0.2, 0.2}, CountHistograms.outsideFraction(EDGES, counts), 1e-15);
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, CountHistograms.centres(EDGES), 1e-15);
    }

    @Test
    void drawsAnImageForSeveralLayers() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        counts.put("layer 1", new long[] {0, 5, 3, 1, 0});
        counts.put("layer 2", new long[] {1, 1, 3, 5, 0});
        BufferedImage img = CountHistograms.draw("Activations", "value", EDGES, counts);
        assertEquals(Charts.WIDTH, img.getWidth());
        assertEquals(Charts.HEIGHT, img.getHeight());
    }

    @Test
    void imagesArePlacedInRowsOfTheGivenColumns() {
        BufferedImage red = filled(30, 20, java.awt.Color.RED);
        BufferedImage blue = filled(30, 20, java.awt.Color.BLUE);
        BufferedImage grid = Charts.images(2, List.of(red, blue, red));
        assertEquals(60, grid.getWidth());
        assertEquals(40, grid.getHeight());
        assertEquals(java.awt.Color.RED.getRGB(), grid.getRGB(5, 5));
        assertEquals(java.awt.Color.BLUE.getRGB(), grid.getRGB(35, 5));
        assertEquals(java.awt.Color.RED.getRGB(), grid.getRGB(5, 25));
        assertEquals(java.awt.Color.WHITE.getRGB(), grid.getRGB(35, 25), "the empty cell stays white");
        assertThrows(IllegalArgumentException.class, () -> Charts.images(0, List.of(red)));
        assertThrows(IllegalArgumentException.class, () -> Charts.images(2, List.of()));
    }

    private static BufferedImage filled(int w, int h, java.awt.Color colour) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Test
    void rejectsCountsThatDoNotMatchTheEdgesOrCountNothing() {
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> CountHistograms.innerFractions("layer 1", EDGES, new long[] {1, 2, 3}));
        assertTrue(wrong.getMessage().contains("layer 1") && wrong.getMessage().contains("3 counts for 4 edges"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CountHistograms.innerFractions("empty", EDGES, new long[5]));
        assertThrows(IllegalArgumentException.class, () -> CountHistograms.draw("t", "x", EDGES, new LinkedHashMap<>()));
    }
}
