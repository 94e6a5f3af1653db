package dev.normgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DatasetsTest {
    @Test
    void spiralsHavePerClassPointsOnArmsOfRadiusUpToOne() {
        Dataset d = Datasets.spirals(100, 3, 0.2, new Random(0));
        assertEquals(300, d.size());
        assertEquals(2, d.numFeatures());
        assertArrayEquals(new int[] {100, 100, 100}, d.classCounts());
        dev.normgrad.autograd.Tensor x = d.features();
        for (int i = 0; i < d.size(); i++) {
            double r = Math.hypot(x.get(i, 0), x.get(i, 1));
            assertEquals((i % 100) / 99.0, r, 1e-12, "radius grows linearly along each arm");
        }
        assertArrayEquals(d.features().data().data, Datasets.spirals(100, 3, 0.2, new Random(0)).features().data().data);
    }

    @Test
    void blobsScatterAroundTheirCentresWithTheGivenStd() {
        double[][] centers = {{0, 0}, {10, -5}};
        Dataset d = Datasets.blobs(5000, centers, 0.5, new Random(1));
        dev.normgrad.autograd.Tensor x = d.features();
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 2; j++) {
                double mean = 0, ss = 0;
                for (int i = k * 5000; i < (k + 1) * 5000; i++) {
                    mean += x.get(i, j) / 5000;
                }
                for (int i = k * 5000; i < (k + 1) * 5000; i++) {
                    double e = x.get(i, j) - mean;
                    ss += e * e / 5000;
                }
                assertEquals(centers[k][j], mean, 0.03);
                assertEquals(0.5, Math.sqrt(ss), 0.02);
            }
        }
        Dataset random = Datasets.blobs(10, 4, 3, 1.0, new Random(2));
        assertEquals(40, random.size());
        assertEquals(3, random.numFeatures());
        assertEquals(4, random.numClasses());
    }

    @Test
    void badArgumentsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> Datasets.spirals(1, 3, 0.2, new Random(0)));
        assertThrows(IllegalArgumentException.class, () -> Datasets.spirals(10, 3, -1, new Random(0)));
        assertThrows(IllegalArgumentException.class, () -> Datasets.blobs(10, 0, 2, 1, new Random(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.blobs(10, new double[][] {{0, 0}, {1}}, 1, new Random(0)));
        assertTrue(e.getMessage().contains("centre 1 has 1 coordinates"), e.getMessage());
    }
}
