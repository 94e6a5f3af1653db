package dev.normgrad.tutorials.coursework.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.tutorials.coursework.Assignment;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Each kind of error on planted gradients, and no diagnosis for a right one. */
class TensorDiagnosisTest {
    private static final List<Assignment.Size> SIZES = List.of(new Assignment.Size("N", 4, "the batch size"),
            new Assignment.Size("C", 3, "the features"));
    private final Random random = new Random(11);
    private final DMatrixRMaj x = randn(4, 3);
    private final DMatrixRMaj expected = randn(4, 3);

    private DMatrixRMaj randn(int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = random.nextGaussian();
        }
        return m;
    }

    private static TensorDiagnosis.Result diagnose(DMatrixRMaj a, DMatrixRMaj e, Assignment.Groups groups) {
        return TensorDiagnosis.diagnose(a, e, new TensorDiagnosis.Context("dL/dx", SIZES, groups));
    }

    private static DMatrixRMaj scaled(DMatrixRMaj m, double c) {
        DMatrixRMaj s = m.copy();
        for (int i = 0; i < s.getNumElements(); i++) {
            s.data[i] *= c;
        }
        return s;
    }

    @Test
    void ratiosNameTheSizeTheyMatch() {
        assertEquals("your dL/dx is N = 4 (the batch size) times too small: a mean where a sum belongs?",
                diagnose(scaled(expected, 0.25), expected, null).sentence());
        assertTrue(diagnose(scaled(expected, 3), expected, null).sentence().startsWith("your dL/dx is C = 3 (the features) times too large"));
        assertEquals("your dL/dx is half of what it should be: a factor 2 from a square dropped?",
                diagnose(scaled(expected, 0.5), expected, null).sentence());
        assertEquals(TensorDiagnosis.Kind.CONSTANT_RATIO, diagnose(scaled(expected, 1.7), expected, null).kind());
        assertEquals(TensorDiagnosis.Kind.SIGN_FLIP, diagnose(scaled(expected, -1), expected, null).kind());
        assertEquals(TensorDiagnosis.Kind.ZERO, diagnose(new DMatrixRMaj(4, 3), expected, null).kind());
    }

    @Test
    void transposedNumbersAreFoundInEitherShape() {
        DMatrixRMaj square = randn(3, 3);
        assertEquals(TensorDiagnosis.Kind.TRANSPOSED, diagnose(TensorDiagnosis.transpose(square), square, null).kind());
        TensorDiagnosis.Result r = diagnose(TensorDiagnosis.transpose(expected), expected, null);
        assertEquals(TensorDiagnosis.Kind.TRANSPOSED, r.kind());
        assertTrue(r.sentence().contains("it is 3x4 where the tensor is 4x3"), r.sentence());
    }

    @Test
    void wrongRowsOrColumnsAreListed() {
        DMatrixRMaj a = expected.copy();
        for (int j = 0; j < 3; j++) {
            a.set(1, j, a.get(1, j) + 1);
            a.set(2, j, a.get(2, j) - 1);
        }
        TensorDiagnosis.Result rows = diagnose(a, expected, null);
        assertEquals(TensorDiagnosis.Kind.PARTIAL, rows.kind());
        assertEquals("rows 1–2 of your dL/dx are wrong, the other rows right", rows.sentence());
        DMatrixRMaj b = expected.copy();
        for (int i = 0; i < 4; i++) {
            b.set(i, 2, 0);
        }
        assertEquals("column 2 of your dL/dx is wrong, the other columns right", diagnose(b, expected, null).sentence());
    }

    @Test
    void aTermThroughTheMeanOrTheVarianceLeftOutIsFoundByProjection() {
        Assignment.Groups rows = new Assignment.Groups(x, true, true, "the variance σ²");
        DMatrixRMaj noMean = expected.copy();
        DMatrixRMaj noVariance = expected.copy();
        for (int i = 0; i < 4; i++) {
            double mean = (x.get(i, 0) + x.get(i, 1) + x.get(i, 2)) / 3;
            for (int j = 0; j < 3; j++) {
                noMean.add(i, j, 0.3 * (i + 1));
                noVariance.add(i, j, (0.5 - i) * (x.get(i, j) - mean));
            }
        }
        assertEquals(TensorDiagnosis.Kind.MISSING_MEAN_TERM, diagnose(noMean, expected, rows).kind());
        assertEquals(TensorDiagnosis.Kind.MISSING_VARIANCE_TERM, diagnose(noVariance, expected, rows).kind());
        assertEquals(TensorDiagnosis.Kind.UNSTRUCTURED, diagnose(noMean, expected, new Assignment.Groups(x, false, true, "σ²")).kind());
    }

    @Property(tries = 200, seed = "20240611")
    void aRightGradientGetsNoDiagnosisWhateverItsRounding(@ForAll @IntRange(min = 1, max = 9) int rows,
            @ForAll @IntRange(min = 1, max = 9) int cols, @ForAll long seed) {
        Random r = new Random(seed);
        DMatrixRMaj e = new DMatrixRMaj(rows, cols);
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < e.getNumElements(); i++) {
            e.data[i] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
            a.data[i] = e.data[i] * (1 + 1e-12 * r.nextGaussian());   // another order of the same sums
        }
        assertNull(TensorDiagnosis.diagnose(a, e, new TensorDiagnosis.Context("dL/dx", SIZES, null)));
    }
}
