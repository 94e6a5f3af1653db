package dev.normgrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import org.junit.jupiter.api.Test;

class StandardizerTest {
    @Test
    void fittedColumnsHaveMeanZeroAndStdOne() {
        Tensor x = Tensor.of(new double[][] {{1, 10}, {2, 20}, {3, 60}});
        Standardizer z = Standardizer.fit(x);
        Tensor y = z.transform(x);
        for (int j = 0; j < 2; j++) {
            double mean = 0, ss = 0;
            for (int i = 0; i < 3; i++) {
                mean += y.get(i, j) / 3;
            }
            for (int i = 0; i < 3; i++) {
                ss += (y.get(i, j) - mean) * (y.get(i, j) - mean) / 3;
            }
            assertEquals(0.0, mean, 1e-15);
            assertEquals(1.0, Math.sqrt(ss), 1e-15, "population std (divide by N)");
        }
        assertEquals(2.0, z.mean()[0]);
        assertEquals(Math.sqrt(2.0 / 3), z.scale()[0], 1e-15);
    }

    @Test
    void aConstantColumnBecomesZeroNotNaN() {
        Tensor x = Tensor.of(new double[][] {{5, 1}, {5, 2}});
        Tensor y = Standardizer.fit(x).transform(x);
        assertEquals(0.0, y.get(0, 0));
        assertEquals(0.0, y.get(1, 0));
        assertEquals(1.0, Standardizer.fit(x).scale()[0]);
    }

    @Test
    void theTestSetIsTransformedWithTheTrainingStatistics() {
        Standardizer z = Standardizer.fit(Tensor.of(new double[][] {{0}, {2}}));   // mean 1, std 1
        assertEquals(9.0, z.transform(Tensor.of(new double[][] {{10}})).get(0, 0));
    }

    @Test
    void digitsStandardizeWithoutNaNAndKeepTheirLabels() {
        Dataset.Split s = Digits.load().split(0.2, new java.util.Random(0));
        Standardizer z = Standardizer.fit(s.train());
        Dataset train = z.transform(s.train());
        Dataset test = z.transform(s.test());
        for (double v : test.features().data().data) {
            assertTrue(Double.isFinite(v));
        }
        assertEquals(s.test().label(3), test.label(3));
        assertEquals(0.0, train.features().get(0, 0), "pixel 0 is blank in every training image");
    }

    @Test
    void aDifferentColumnCountIsAnError() {
        Standardizer z = Standardizer.fit(Tensor.zeros(2, 3));
        ShapeException e = assertThrows(ShapeException.class, () -> z.transform(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("fitted on 3 features") && e.getMessage().contains("(2x4)"), e.getMessage());
    }
}
