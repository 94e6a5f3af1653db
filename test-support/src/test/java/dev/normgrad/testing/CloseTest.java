package dev.normgrad.testing;

import static dev.normgrad.testing.Close.assertBitIdentical;
import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class CloseTest {
    private static DMatrixRMaj m(double... row) {
        return new DMatrixRMaj(new double[][] {row});
    }

    @Test
    void entrywiseIsAtolPlusRtolTimesTheEntry() {
        Tolerance t = Tolerance.entrywise(1e-3, 1e-5);
        assertClose(m(1000, 0), m(1000.999, 9e-6), t, "inside");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertClose(m(1000, 0), m(1000, 2e-5), t, "x"));
        assertEquals("x: 1 of 2 entries outside |a − e| ≤ 1e-5 + 1e-3·|e|; the worst at [0, 1]: expected 0.0, "
                + "actual 2.0E-5 (difference 2.000e-05, allowed 1.000e-05)", e.getMessage());
    }

    @Test
    void aFloorMakesTheRelativeToleranceAbsoluteBelowIt() {
        Tolerance t = Tolerance.relative(1e-10).withScaleFloor(1);
        assertClose(m(0.5, 100), m(0.5 + 0.9e-10, 100 + 0.9e-8), t, "inside");
        assertThrows(AssertionFailedError.class, () -> assertClose(m(0.5), m(0.5 + 1.1e-10), t, "x"));
        assertThrows(AssertionFailedError.class, () -> assertClose(m(100), m(100 + 1.1e-8), t, "x"));
        assertThrows(AssertionFailedError.class, () -> assertClose(m(0.5), m(0.5 + 1e-11), Tolerance.relative(1e-12), "no floor"));
    }

    @Test
    void relativeToLargestScalesEveryEntryByTheLargest() {
        Tolerance t = Tolerance.relativeToLargest(1e-10);
        assertClose(m(100, 0), m(100, 0.9e-8), t, "noise around a large entry");
        assertThrows(AssertionFailedError.class, () -> assertClose(m(100, 0), m(100, 1.1e-8), t, "x"));
        assertThrows(AssertionFailedError.class, () -> assertClose(m(100, 0), m(100, 0.9e-8), Tolerance.relative(1e-10), "entrywise"));
        assertClose(m(0, 0), m(0, 0.9e-16), t.withScaleFloor(1e-6), "a floor for an all-zero expectation");
    }

    @Test
    void nanAsksForNanAndAnInfinityForTheSameInfinity() {
        Tolerance t = Tolerance.relative(1e-10);
        assertClose(m(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
                m(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), t, "non-finite");
        assertThrows(AssertionFailedError.class, () -> assertClose(m(1), m(Double.NaN), Tolerance.entrywise(1, 1), "x"));
        assertThrows(AssertionFailedError.class, () -> assertClose(m(Double.NaN), m(1), t, "x"));
        assertThrows(AssertionFailedError.class, () -> assertClose(m(Double.POSITIVE_INFINITY), m(Double.NEGATIVE_INFINITY), t, "x"));
        assertThrows(AssertionFailedError.class, () -> assertClose(1.0, Double.NaN, Tolerance.entrywise(1, 1), "x"));
        assertClose(1.0, 1.0 + 1e-11, t, "scalar");
    }

    @Test
    void shapesAndMissingValuesAreNamed() {
        AssertionFailedError shape = assertThrows(AssertionFailedError.class,
                () -> assertClose(new double[][] {{1, 2}, {3, 4}}, m(1, 2, 3, 4), Tolerance.exact(), "dL/dx"));
        assertEquals("dL/dx: shape (1x4), expected (2x2)", shape.getMessage());
        AssertionFailedError none = assertThrows(AssertionFailedError.class, () -> assertClose(m(1), null, Tolerance.exact(), "dL/dγ"));
        assertTrue(none.getMessage().startsWith("dL/dγ: no value (null)"), none.getMessage());
    }

    @Test
    void exactAcceptsMinusZeroForZeroButBitIdenticalDoesNot() {
        assertClose(m(0.0), m(-0.0), Tolerance.exact(), "signed zero");
        assertThrows(AssertionFailedError.class, () -> assertBitIdentical(m(0.0), m(-0.0), "bits"));
        assertBitIdentical(m(1, Double.NaN), m(1, Double.NaN), "bits");
    }

    @Test
    void theRulePrintsAsTheFormula() {
        assertEquals("|a − e| ≤ 1e-14 + 1e-10·|e|", Tolerance.entrywise(1e-10, 1e-14).toString());
        assertEquals("|a − e| ≤ 1e-10·max(1, |e|)", Tolerance.relative(1e-10).withScaleFloor(1).toString());
        assertEquals("|a − e| ≤ 1e-10·max(1e-6, max|E|)", Tolerance.relativeToLargest(1e-10).withScaleFloor(1e-6).toString());
        assertEquals("a = e", Tolerance.exact().toString());
    }
}
