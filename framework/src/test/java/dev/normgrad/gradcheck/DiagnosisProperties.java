package dev.normgrad.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.Diagnosis.Kind;
import dev.normgrad.gradcheck.Diagnosis.Term;
import dev.normgrad.gradcheck.PlantedOps.Normalize.Drop;
import dev.normgrad.gradcheck.PlantedOps.Normalize.Over;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the diagnosis: correct code is never given one (random correct ops on random
 * shapes pass, with no diagnosis on any tensor), and two planted bugs on random shapes get the
 * diagnosis of their kind, with the right numbers.
 */
class DiagnosisProperties {
    /** A correct op of a tensor of the given shape (a second input drawn from the generator). */
    private record Op(String name, BiFunction<Tensor, Random, Tensor> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Op> CORRECT = List.of(
            new Op("tanh", (x, r) -> x.tanh()),
            new Op("relu", (x, r) -> x.relu()),
            new Op("abs", (x, r) -> x.abs().add(x)),
            new Op("softmax", (x, r) -> x.softmax()),
            new Op("mean0", (x, r) -> x.mean(0)),
            new Op("sum1", (x, r) -> x.sum(1)),
            new Op("matmul", (x, r) -> x.matmulTransposeB(Tensor.randn(3, x.cols(), r))),
            new Op("biasAdd", (x, r) -> new PlantedOps.BiasAdd(PlantedOps.BiasAdd.Bug.NONE).apply(x, Tensor.randn(1, x.cols(), r))),
            new Op("layerNorm", (x, r) -> new PlantedOps.Normalize(Over.ROWS, Drop.NOTHING).apply(x).mul(Tensor.randn(1, x.cols(), r))),
            new Op("batchNorm", (x, r) -> new PlantedOps.Normalize(Over.COLUMNS, Drop.NOTHING).apply(x)),
            new Op("transpose", (x, r) -> x.transpose().tanh()));

    @Provide
    Arbitrary<Op> correctOps() {
        return Arbitraries.of(CORRECT);
    }

    @Property(tries = 300)
    void correctOpsAreNeverGivenADiagnosis(@ForAll("correctOps") Op op, @ForAll @IntRange(min = 2, max = 6) int rows,
            @ForAll @IntRange(min = 2, max = 6) int cols, @ForAll long seed) {
        Tensor x = Tensor.randn(rows, cols, new Random(seed));
        GradCheckReport r = GradCheck.check(in -> op.apply().apply(in[0], new Random(seed + 1)), x);
        assertTrue(r.passed(), r::toString);
        for (GradCheckReport.TensorResult t : r.tensors()) {
            assertNull(t.diagnosis(), r::toString);
        }
    }

    @Property(tries = 200)
    void aBackwardOffByAConstantIsDiagnosedWithThatConstant(@ForAll @DoubleRange(min = -8, max = 8) double c,
            @ForAll @IntRange(min = 1, max = 5) int rows, @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        if (Math.abs(Math.abs(c) - 1) < 0.01 || Math.abs(c) < 0.05) {
            return;   // c = ±1 is right or a sign flip, c ≈ 0 a gradient never written: other kinds
        }
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.ScaledTanh(c).apply(in[0]), Tensor.randn(rows, cols, new Random(seed)));
        Diagnosis d = r.tensor("input 0").diagnosis();
        assertTrue(d != null, r::toString);
        assertEquals(Kind.CONSTANT_RATIO, d.kind(), d::detail);
        assertEquals(c, d.ratio(), 2e-3 * Math.abs(c), d::detail);
    }

    @Property(tries = 200)
    void aDroppedNormalizationTermIsNamed(@ForAll("drops") Drop drop, @ForAll @IntRange(min = 2, max = 6) int rows,
            @ForAll @IntRange(min = 3, max = 8) int cols, @ForAll long seed) {
        Tensor x = Tensor.randn(rows, cols, new Random(seed)).name("x");
        GradCheckReport r = GradCheck.check(in -> new PlantedOps.Normalize(Over.ROWS, drop).apply(in[0]), x);
        Diagnosis d = r.tensor("x").diagnosis();
        assertTrue(d != null, r::toString);
        assertEquals(Kind.MISSING_TERM, d.kind(), d::detail);
        assertEquals(drop == Drop.MEAN ? Term.MEAN : drop == Drop.VARIANCE ? Term.VARIANCE : Term.BOTH, d.missingTerm(), d::detail);
        assertTrue(d.grouping().startsWith("each row"), d::grouping);
    }

    @Provide
    Arbitrary<Drop> drops() {
        return Arbitraries.of(Drop.MEAN, Drop.VARIANCE, Drop.BOTH);
    }
}
