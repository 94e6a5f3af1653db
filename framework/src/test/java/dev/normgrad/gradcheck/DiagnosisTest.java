package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.Diagnosis.Kind;
import dev.normgrad.gradcheck.Diagnosis.Term;
import dev.normgrad.gradcheck.PlantedOps.Normalize.Drop;
import dev.normgrad.gradcheck.PlantedOps.Normalize.Over;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every kind of diagnosis, each from a planted backward bug of its kind, in the text, the JSON and the assertion. */
class DiagnosisTest {
    private final Random rng = new Random(17);

    private static Diagnosis diagnosisOf(GradCheckReport r, String tensor) {
        assertFalse(r.passed(), r::toString);
        Diagnosis d = r.tensor(tensor).diagnosis();
        assertTrue(d != null, () -> "no diagnosis for " + tensor + "\n" + r);
        assertTrue(r.toString().contains("diagnosis: " + d.detail()), r::toString);
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().contains(d.detail()), e.getMessage());
        return d;
    }

    @Test
    void aMeanWhereASumBelongsIsAConstantRatioOneOverTheBatch() {
        Tensor x = Tensor.randn(5, 3, rng).name("x");
        Tensor b = Tensor.randn(1, 3, rng).name("bias");
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.BiasAdd(PlantedOps.BiasAdd.Bug.MEAN_NOT_SUM).apply(in[0], in[1]), x, b);
        assertNull(r.tensor("x").diagnosis(), "a tensor that passed gets no diagnosis");
        Diagnosis d = diagnosisOf(r, "bias");
        assertEquals(Kind.CONSTANT_RATIO, d.kind());
        assertEquals(0.2, d.ratio(), 1e-4);
        assertEquals(5, d.size());
        assertEquals("N, the rows (batch) of 'x'", d.sizeMeaning());
        assertEquals("the gradient of 'bias' is 5 times too small (analytic = 0.2 × numeric on every entry); 5 = N, the rows "
                + "(batch) of 'x': a mean where a sum belongs (one division by 5 too many)?", d.detail());
        JsonObject j = JsonParser.parseString(r.toJson()).getAsJsonObject().getAsJsonArray("tensors").get(1).getAsJsonObject()
                .getAsJsonObject("diagnosis");
        assertEquals("constant_ratio", j.get("kind").getAsString());
        assertEquals(d.detail(), j.get("detail").getAsString());
        assertEquals(5, j.get("size").getAsInt());
        assertTrue(JsonParser.parseString(r.toJson()).getAsJsonObject().getAsJsonArray("tensors").get(0).getAsJsonObject()
                .get("diagnosis").isJsonNull());
    }

    @Test
    void aSumWhereAMeanBelongsMatchesTheColumns() {
        Tensor x = Tensor.randn(3, 4, rng).name("x");
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.RowMeanWithoutDivision().apply(in[0]), x), "x");
        assertEquals(Kind.CONSTANT_RATIO, d.kind());
        assertEquals(4, d.ratio(), 4e-3);
        assertEquals(4, d.size());
        assertTrue(d.detail().contains("4 times too large") && d.detail().contains("the columns (features) of 'x'")
                && d.detail().contains("a sum where a mean belongs"), d.detail());
    }

    @Test
    void theTwoOfXSquaredDroppedIsAHalf() {
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.SquareSlip().apply(in[0]), Tensor.randn(3, 5, rng)), "input 0");
        assertEquals(Kind.CONSTANT_RATIO, d.kind());
        assertEquals(0.5, d.ratio(), 1e-4);
        assertEquals(2, d.size());
        assertTrue(d.detail().contains("2 times too small") && d.detail().contains("the 2 of d(x²)/dx = 2x dropped?"), d.detail());
    }

    @Test
    void aConstantRatioMatchingNoSizeSaysSoWithoutAGuess() {
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.ScaledTanh(0.37).apply(in[0]), Tensor.randn(3, 5, rng)), "input 0");
        assertEquals(Kind.CONSTANT_RATIO, d.kind());
        assertEquals(0.37, d.ratio(), 1e-3);
        assertEquals(0, d.size());
        assertNull(d.sizeMeaning());
        assertTrue(d.detail().endsWith("(analytic = 0.37 × numeric on every entry)"), d.detail());
    }

    @Test
    void aSignFlip() {
        Tensor x = Tensor.randn(3, 4, rng);
        Tensor w = Tensor.randn(4, 2, rng).name("W");
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.MatMul(PlantedOps.MatMul.Bug.SIGN).apply(in[0], in[1]), x, w), "W");
        assertEquals(Kind.SIGN_FLIP, d.kind());
        assertEquals(-1, d.ratio(), 1e-3);
        assertTrue(d.detail().startsWith("the gradient of 'W' has the wrong sign (analytic = −numeric on every entry)"), d.detail());
    }

    @Test
    void aTransposedSquareGradient() {
        Tensor x = Tensor.randn(3, 4, rng);
        Tensor w = Tensor.randn(4, 4, rng).name("W");
        Diagnosis d = diagnosisOf(GradCheck.check(
                in -> new PlantedOps.MatMul(PlantedOps.MatMul.Bug.TRANSPOSED_SQUARE).apply(in[0], in[1]), x, w), "W");
        assertEquals(Kind.TRANSPOSED, d.kind());
        assertTrue(d.detail().contains("analytic[i][j] = numeric[j][i]"), d.detail());
    }

    @Test
    void aTransposedLayoutInANonSquareGradient() {
        Tensor x = Tensor.randn(4, 3, rng);
        Tensor w = Tensor.randn(3, 7, rng).name("W");
        Diagnosis d = diagnosisOf(GradCheck.check(
                in -> new PlantedOps.MatMul(PlantedOps.MatMul.Bug.TRANSPOSED_LAYOUT).apply(in[0], in[1]), x, w), "W");
        assertEquals(Kind.TRANSPOSED, d.kind());
        assertTrue(d.detail().contains("'W' (3x7) holds the right 21 values, laid out as its transpose (7x3) read row by row"), d.detail());
    }

    @Test
    void aGradientNeverWritten() {
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.SumOfThreeForgettingTheLast().apply(in[0], in[1], in[2]),
                Tensor.randn(2, 3, rng), Tensor.randn(2, 3, rng), Tensor.randn(2, 3, rng));
        assertTrue(r.tensor("input 0").passed() && r.tensor("input 1").passed(), r::toString);
        Diagnosis d = diagnosisOf(r, "input 2");
        assertEquals(Kind.ZERO, d.kind());
        assertTrue(d.detail().startsWith("the backward never wrote the gradient of 'input 2': it is 0 on every entry"), d.detail());
    }

    @Test
    void theLastRowNeverWrittenIsPartial() {
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.TanhWithAWrongLine(true).apply(in[0]),
                Tensor.randn(4, 3, rng).name("x")), "x");
        assertEquals(Kind.PARTIAL, d.kind());
        assertEquals(List.of(3), d.wrongRows());
        assertEquals(List.of(), d.wrongColumns());
        assertEquals(0, d.ratio(), 1e-9);
        assertEquals("row 3 (the last) of the gradient of 'x' is wrong; the other 3 rows are right; there the gradient is 0: "
                + "never written (a loop that stops one short?)", d.detail());
    }

    @Test
    void oneWrongColumnIsPartial() {
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.TanhWithAWrongLine(false).apply(in[0]),
                Tensor.randn(4, 3, rng).name("x")), "x");
        assertEquals(Kind.PARTIAL, d.kind());
        assertEquals(List.of(1), d.wrongColumns());
        assertTrue(d.detail().startsWith("column 1 of the gradient of 'x' is wrong; the other 2 columns are right"), d.detail());
    }

    private Diagnosis missingTerm(Over over, Drop drop, int rows, int cols) {
        Tensor x = Tensor.randn(rows, cols, rng).mul(1.5).add(0.3).name("x");
        assertTrue(GradCheck.check(in -> new PlantedOps.Normalize(over, Drop.NOTHING).apply(in[0]), x).passed(),
                "the right backward passes");
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.Normalize(over, drop).apply(in[0]), x), "x");
        assertEquals(Kind.MISSING_TERM, d.kind(), d::detail);
        return d;
    }

    @Test
    void layerNormWithoutTheMeanTerm() {
        Diagnosis d = missingTerm(Over.ROWS, Drop.MEAN, 4, 6);
        assertEquals(Term.MEAN, d.missingTerm());
        assertTrue(d.grouping().startsWith("each row"), d.grouping());
        assertTrue(d.detail().contains("is one constant along each row") && d.detail().contains("the gradient through the mean is missing"),
                d.detail());
    }

    @Test
    void layerNormWithoutTheVarianceTerm() {
        Diagnosis d = missingTerm(Over.ROWS, Drop.VARIANCE, 4, 6);
        assertEquals(Term.VARIANCE, d.missingTerm());
        assertTrue(d.detail().contains("proportional to x̂") && d.detail().contains("the gradient through the variance is missing"),
                d.detail());
    }

    @Test
    void layerNormWithoutEitherTerm() {
        assertEquals(Term.BOTH, missingTerm(Over.ROWS, Drop.BOTH, 4, 6).missingTerm());
    }

    @Test
    void batchNormWithoutTheMeanTermIsFoundAlongTheColumns() {
        Diagnosis d = missingTerm(Over.COLUMNS, Drop.MEAN, 8, 3);
        assertEquals(Term.MEAN, d.missingTerm());
        assertTrue(d.grouping().startsWith("each column (BatchNorm's"), d.grouping());
        JsonObject j = GradCheckReport.json(d);
        assertEquals("missing_term", j.get("kind").getAsString());
        assertEquals("mean", j.get("missingTerm").getAsString());
        assertEquals(d.grouping(), j.get("grouping").getAsString());
    }

    @Test
    void instanceNormOverChannelsOfLPositionsIsFoundWithoutAHint() {
        Diagnosis d = missingTerm(Over.BLOCKS_OF_4, Drop.VARIANCE, 3, 8);
        assertEquals(Term.VARIANCE, d.missingTerm());
        assertTrue(d.grouping().startsWith("each block of 4 consecutive columns within a row"), d.grouping());
    }

    @Test
    void errorsWithoutPatternAreUnstructuredAndNameTheWorstEntry() {
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.NoisyTanh().apply(in[0]), Tensor.randn(4, 5, rng).name("x")), "x");
        assertEquals(Kind.UNSTRUCTURED, d.kind());
        assertTrue(d.detail().startsWith("no simple pattern in the errors of 'x'") && d.detail().contains("the worst at ["), d.detail());
    }

    @Test
    void fastModeGivesNoDiagnosis() {
        GradCheckReport r = new GradCheck().fast(in -> new PlantedOps.ScaledTanh(2).apply(in[0]), 3, Tensor.randn(3, 3, rng));
        assertFalse(r.passed());
        r.tensors().forEach(t -> assertNull(t.diagnosis()));
        assertEquals("GradCheck fast: FAILED — 3 of 3 directions outside their tolerance", r.toString().split("\n")[0]);
    }

    @Test
    void theDiagnosisPrintsAsItsKindAndSentence() {
        Diagnosis d = diagnosisOf(GradCheck.check(in -> new PlantedOps.ScaledTanh(-1).apply(in[0]), Tensor.randn(2, 2, rng)), "input 0");
        assertEquals("sign_flip: " + d.detail(), d.toString());
    }
}
