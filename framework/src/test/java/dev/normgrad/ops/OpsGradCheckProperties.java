package dev.normgrad.ops;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property: for random shapes and seeds, every op's backward agrees with central differences.
 * A composed expression per case (op, then a second random op) also exercises accumulation.
 */
class OpsGradCheckProperties {
    /** An op applied to a tensor of the given shape; inputs drawn where the op is smooth. */
    private record Op(String name, boolean positiveInput, BiFunction<Tensor, Random, Tensor> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Op> OPS = List.of(
            new Op("tanh", false, (x, r) -> x.tanh()),
            new Op("sigmoid", false, (x, r) -> x.sigmoid()),
            new Op("exp", false, (x, r) -> x.exp()),
            new Op("log", true, (x, r) -> x.log()),
            new Op("sqrt", true, (x, r) -> x.sqrt()),
            new Op("pow2", false, (x, r) -> x.pow(2)),
            new Op("softmax", false, (x, r) -> x.softmax()),
            new Op("logSoftmax", false, (x, r) -> x.logSoftmax()),
            new Op("sum0", false, (x, r) -> x.sum(0)),
            new Op("mean1", false, (x, r) -> x.mean(1)),
            new Op("transpose", false, (x, r) -> x.transpose()),
            new Op("mulRow", false, (x, r) -> x.mul(Tensor.randn(1, x.cols(), r))),
            new Op("addColumn", false, (x, r) -> x.add(Tensor.randn(x.rows(), 1, r))),
            new Op("divScalar", false, (x, r) -> x.div(Tensor.uniform(1, 1, 0.5, 2, r))),
            new Op("matmulTransposeB", false, (x, r) -> x.matmulTransposeB(Tensor.randn(3, x.cols(), r))),
            new Op("matmulTransposeA", false, (x, r) -> x.matmulTransposeA(Tensor.randn(x.rows(), 2, r))),
            new Op("reshape", false, (x, r) -> x.reshape(x.cols(), x.rows())),
            new Op("gate", false, (x, r) -> Tensor.concatColumns(x.sigmoid(), x.tanh())));

    @Provide
    Arbitrary<Op> ops() {
        return Arbitraries.of(OPS);
    }

    @Property(tries = 600)
    void everyOpPassesOnRandomShapes(@ForAll("ops") Op op, @ForAll @IntRange(min = 1, max = 5) int rows,
            @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        Random data = new Random(seed);
        Tensor x = op.positiveInput() ? Tensor.uniform(rows, cols, 0.5, 2, data) : Tensor.randn(rows, cols, data);
        GradCheck.check(in -> op.apply().apply(in[0], new Random(seed + 1)), x).assertPassed();
    }

    @Property(tries = 400)
    void compositionsOfTwoOpsPass(@ForAll("ops") Op first, @ForAll("ops") Op second,
            @ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 4) int cols, @ForAll long seed) {
        Random data = new Random(seed);
        Tensor x = Tensor.randn(rows, cols, data);
        // the second op sees the first's output; log and sqrt get positive inputs
        GradCheck.check(in -> {
            Tensor y = first.apply().apply(first.positiveInput() ? in[0].sigmoid().add(0.5) : in[0], new Random(seed + 1));
            Tensor z = second.positiveInput() ? y.pow(2).add(0.5) : y;
            return second.apply().apply(z, new Random(seed + 2));
        }, x).assertPassed();
    }
}
