package dev.normgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.Checkable;
import dev.normgrad.init.Init;
import org.junit.jupiter.api.Test;

class DropoutTest {
    @Test
    void dropsAboutPAndScalesTheKeptEntriesByOneOverOneMinusP() {
        Dropout d = new Dropout(0.3, 1);
        Tensor y = d.apply(Tensor.ones(200, 100));
        int kept = 0;
        for (double v : y.data().data) {
            if (v != 0) {
                assertEquals(1 / 0.7, v, 1e-15);
                kept++;
            }
        }
        double fraction = kept / 20000.0;
        // binomial: std of the kept fraction is √(0.3·0.7/20000) ≈ 0.0032
        assertEquals(0.7, fraction, 0.015, "kept fraction");
    }

    @Test
    void theGradientUsesTheSameMask() {
        Dropout d = new Dropout(0.5, 3);
        Tensor x = Tensor.ones(4, 5).requiresGrad(true);
        Tensor y = d.apply(x);
        y.sum().backward();
        assertArrayEquals(y.data().data, x.grad().data().data, "dx = mask/(1−p) = y for x = 1");
    }

    @Test
    void evalIsTheIdentity() {
        Dropout d = new Dropout(0.5, 3);
        d.eval();
        Tensor x = Tensor.ones(3, 3);
        assertSame(x, d.apply(x));
    }

    @Test
    void pZeroIsTheIdentityAndPOneZeroesEverything() {
        Tensor x = Tensor.ones(3, 3);
        assertSame(x, new Dropout(0.0, 1).apply(x));
        for (double v : new Dropout(1.0, 1).apply(x).data().data) {
            assertEquals(0.0, v);
        }
    }

    @Test
    void theSameSeedGivesTheSameMasksAndSuccessiveCallsDiffer() {
        Dropout a = new Dropout(0.5, 99);
        Dropout b = new Dropout(0.5, 99);
        Tensor x = Tensor.ones(5, 5);
        double[] first = a.apply(x).data().data;
        assertArrayEquals(first, b.apply(x).data().data);
        assertFalse(java.util.Arrays.equals(first, a.apply(x).data().data), "a second forward draws a new mask");
    }

    @Test
    void restoringSavedStateReplaysTheSameMask() {
        Dropout d = new Dropout(0.5, 7);
        Tensor x = Tensor.ones(6, 6);
        Checkable.State s = d.saveState();
        double[] first = d.apply(x).data().data;
        s.restore();
        assertArrayEquals(first, d.apply(x).data().data);
    }

    @Test
    void withoutASeedTheGeneratorIsSeededFromTheSharedDefault() {
        Init.manualSeed(5);
        double[] a = new Dropout(0.5).apply(Tensor.ones(4, 4)).data().data;
        Init.manualSeed(5);
        double[] b = new Dropout(0.5).apply(Tensor.ones(4, 4)).data().data;
        assertArrayEquals(a, b);
    }

    @Test
    void pOutsideZeroOneIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }

    @Test
    void toStringShowsP() {
        assertEquals("Dropout(p=0.25)", new Dropout(0.25, 1).toString());
    }
}
