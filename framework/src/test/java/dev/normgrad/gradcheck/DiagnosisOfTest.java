package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.gradcheck.Diagnosis.Kind;
import dev.normgrad.gradcheck.Diagnosis.Term;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** {@link Diagnosis#of}: the diagnosis of a gradient against the right one, without a gradient check. */
class DiagnosisOfTest {
    private final Random rng = new Random(23);

    private DMatrixRMaj randn(int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rng.nextGaussian();
        }
        return m;
    }

    private static Map<Integer, String> sizes() {
        Map<Integer, String> sizes = new LinkedHashMap<>();
        sizes.put(5, "N, the batch size");
        sizes.put(4, "C, the features");
        return sizes;
    }

    @Test
    void aRightGradientHasNoneAndAWrongOneItsPatternWithTheSizeNamed() {
        DMatrixRMaj values = randn(1, 4);
        DMatrixRMaj right = randn(1, 4);
        DMatrixRMaj almost = right.copy();
        almost.data[2] *= 1 + 1e-9;
        assertNull(Diagnosis.of("bias", values, almost, right, 1e-8, 1e-6, sizes()));

        DMatrixRMaj mean = right.copy();
        for (int k = 0; k < 4; k++) {
            mean.data[k] /= 5;
        }
        Diagnosis d = Diagnosis.of("bias", values, mean, right, 1e-8, 1e-6, sizes());
        assertEquals(Kind.CONSTANT_RATIO, d.kind());
        assertEquals(5, d.size());
        assertTrue(d.detail().startsWith("the gradient of 'bias' is 5 times too small"), d.detail());
        assertTrue(d.detail().contains("5 = N, the batch size: a mean where a sum belongs"), d.detail());
    }

    @Test
    void theVarianceTermLeftOutOfALayerNormIsFoundFromTheTensorsOwnValues() {
        DMatrixRMaj x = randn(5, 4);
        DMatrixRMaj right = randn(5, 4);
        DMatrixRMaj wrong = right.copy();
        for (int i = 0; i < 5; i++) {
            double mean = 0;
            for (int j = 0; j < 4; j++) {
                mean += x.get(i, j) / 4;
            }
            for (int j = 0; j < 4; j++) {
                wrong.add(i, j, (0.3 + i) * (x.get(i, j) - mean));   // a multiple of x̂ within each row
            }
        }
        Diagnosis d = Diagnosis.of("x", x, wrong, right, 1e-8, 1e-6, sizes());
        assertEquals(Kind.MISSING_TERM, d.kind());
        assertEquals(Term.VARIANCE, d.missingTerm());
    }

    @Test
    void shapesMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Diagnosis.of("w", randn(3, 2), randn(2, 3), randn(3, 2), 1e-8, 1e-6, sizes()));
        assertTrue(e.getMessage().contains("Diagnosis.of: 'w': values (3x2), analytic (2x3) and expected (3x2) must have one shape"),
                e.getMessage());
    }
}
