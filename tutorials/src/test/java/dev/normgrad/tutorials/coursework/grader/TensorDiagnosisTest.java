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

/**
 * The grader's door to GradCheck's diagnosis: the case's sizes named in the sentence, the student's gradient
 * called "yours" and the reference's "expected", and no diagnosis for a right gradient whatever its rounding.
 * (The patterns themselves are GradCheck's, tested in framework/.)
 */
class TensorDiagnosisTest {
    private static final List<Assignment.Size> SIZES = List.of(new Assignment.Size("N", 4, "the batch size"),
            new Assignment.Size("C", 3, "the features"), new Assignment.Size("F", 3, "a size named twice"));
    private final Random random = new Random(11);

    private DMatrixRMaj randn(int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = random.nextGaussian();
        }
        return m;
    }

    private static DMatrixRMaj scaled(DMatrixRMaj m, double c) {
        DMatrixRMaj s = m.copy();
        for (int i = 0; i < s.getNumElements(); i++) {
            s.data[i] *= c;
        }
        return s;
    }

    @Test
    void theSentenceNamesTheSizeOfTheCaseAndSpeaksOfYoursAndExpected() {
        DMatrixRMaj x = randn(4, 3);
        DMatrixRMaj expected = randn(4, 3);
        TensorDiagnosis.Result r = TensorDiagnosis.diagnose(scaled(expected, 0.25), expected, new TensorDiagnosis.Context("x", x, SIZES));
        assertEquals("constant_ratio", r.kind());
        assertTrue(r.sentence().startsWith("the gradient of 'x' is 4 times too small (yours = 0.25 × expected on every entry); "
                + "4 = N, the batch size: a mean where a sum belongs"), r.sentence());
        TensorDiagnosis.Result c = TensorDiagnosis.diagnose(scaled(expected, 3), expected, new TensorDiagnosis.Context("x", x, SIZES));
        assertTrue(c.sentence().contains("3 = C, the features"), "the first of two equal sizes: " + c.sentence());
        DMatrixRMaj zero = new DMatrixRMaj(4, 3);
        assertTrue(TensorDiagnosis.diagnose(zero, expected, new TensorDiagnosis.Context("x", x, SIZES)).sentence()
                .contains("but the expected gradient is not"));
    }

    @Test
    void wordsTurnGradChecksAnalyticAndNumericIntoYoursAndExpected() {
        assertEquals("yours[i][j] = expected[j][i]; the error (yours − expected); |expected| up to 2",
                TensorDiagnosis.words("analytic[i][j] = numeric[j][i]; the error (analytic − numeric); |numeric| up to 2"));
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
        assertTrue(TensorDiagnosis.agree(a, e));
        assertNull(TensorDiagnosis.diagnose(a, e, new TensorDiagnosis.Context("x", e, SIZES)));
    }
}
