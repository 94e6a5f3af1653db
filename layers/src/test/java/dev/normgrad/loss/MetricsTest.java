package dev.normgrad.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.normgrad.autograd.ShapeException;
import dev.normgrad.autograd.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void argmaxPicksEachRowsLargestAndTheFirstOnTies() {
        Tensor z = Tensor.of(new double[][] {{0, 3, 1}, {5, 5, 0}, {-1, -2, -0.5}});
        assertArrayEquals(new int[] {1, 0, 2}, Metrics.argmax(z));
    }

    @Test
    void accuracyIsTheFractionRight() {
        Tensor z = Tensor.of(new double[][] {{0, 3, 1}, {5, 5, 0}, {-1, -2, -0.5}, {1, 0, 0}});
        assertEquals(0.75, Metrics.accuracy(z, new int[] {1, 0, 2, 2}));
        assertThrows(ShapeException.class, () -> Metrics.accuracy(z, new int[] {1}));
    }
}
