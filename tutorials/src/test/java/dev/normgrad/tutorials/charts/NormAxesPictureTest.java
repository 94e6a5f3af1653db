package dev.normgrad.tutorials.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.norm.StatisticsSet;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NormAxesPictureTest {
    private static final int N = 4;
    private static final int C = 4;
    private static final int L = 3;

    @Test
    void eachLayersStatisticSetIsTheTextbookOne() {
        List<NormAxesPicture.Panel> panels = NormAxesPicture.familyPanels(N, C, L, 2);
        int[][] bn = NormAxesPicture.statisticOf(panels.get(0).set(), N, C * L);
        int[][] ln = NormAxesPicture.statisticOf(panels.get(1).set(), N, C * L);
        int[][] in = NormAxesPicture.statisticOf(panels.get(2).set(), N, C * L);
        int[][] gn = NormAxesPicture.statisticOf(panels.get(3).set(), N, C * L);
        int[][] rms = NormAxesPicture.statisticOf(panels.get(4).set(), N, C * L);
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < C * L; j++) {
                int c = j / L;
                assertEquals(c, bn[n][j], "BatchNorm: one statistic per channel, shared by every sample");
                assertEquals(n, ln[n][j], "LayerNorm: one per sample");
                assertEquals(n * C + c, in[n][j], "InstanceNorm: one per sample and channel");
                assertEquals(n * 2 + c / 2, gn[n][j], "GroupNorm(2): one per sample and pair of channels");
                assertEquals(ln[n][j], rms[n][j], "RMSNorm: LayerNorm's sets");
            }
        }
        assertTrue(panels.get(1).set().centred());
        assertTrue(!panels.get(4).set().centred(), "RMSNorm does not subtract the mean");
    }

    @Test
    void drawsEveryStatisticInItsOwnColour() {
        BufferedImage img = NormAxesPicture.family(N, C, L, 2);
        assertTrue(img.getWidth() >= 3 * (C * L * NormAxesPicture.CELL), "three panels per row: " + img.getWidth());
        Set<Integer> present = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                present.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        // InstanceNorm has N·C = 16 statistics: each colour must appear, and all 16 must differ
        Set<Integer> colours = new HashSet<>();
        for (int g = 0; g < N * C; g++) {
            int rgb = NormAxesPicture.colour(g, N * C).getRGB() & 0xFFFFFF;
            assertTrue(present.contains(rgb), "statistic " + g + " of InstanceNorm is drawn");
            colours.add(rgb);
        }
        assertEquals(N * C, colours.size(), "16 distinct colours");
        assertNotEquals(NormAxesPicture.colour(0, 4), NormAxesPicture.colour(1, 4));
    }

    @Test
    void aSetBuiltForAnotherBatchIsRejectedWithTheSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NormAxesPicture.statisticOf(StatisticsSet.batchNorm(8, C, L), N, C * L));
        assertTrue(e.getMessage().contains("96") && e.getMessage().contains("48"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NormAxesPicture.draw(N, C, L, List.of()));
    }
}
