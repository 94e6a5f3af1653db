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
 * Property: for random shapes and seeds, every op's backward agrees with central differences
 * ({@link GradCheck}, float64). Three properties:
 * <ul>
 *   <li>each op of one input on its own ({@link #UNARY}; constant operands drawn from a seeded random);</li>
 *   <li>each op of two inputs with both checked ({@link #BINARY}): plain and doubly transposed matmul,
 *       the binary ops broadcast on either side, the scalar forms, neg, abs, relu, leaky ReLU, GELU,
 *       sums and means, column slices, the block transpose, binary cross-entropy with logits. Kinks
 *       (abs, relu at 0) are reported by the check, not failed;</li>
 *   <li>compositions of two ops of one input, which also exercise accumulation.</li>
 * </ul>
 */
class OpsGradCheckProperties {
    /** Where an op of one input is smooth and its central differences stay accurate. */
    private enum Domain {
        /** any real input */
        ANY,
        /** positive inputs (log, sqrt) */
        POSITIVE,
        /**
         * inputs of moderate size (exp): on an input that is itself an op's output, exp can reach 1e8
         * (exp∘exp of a Gaussian draw of 3), and the central difference of L = Σ y⊙P then carries
         * rounding error of about eps·Σ|y⊙P|/h, far above the check's atol for entries with small
         * gradients: a failure of the check's arithmetic, not of exp's backward.
         */
        BOUNDED
    }

    /** An op of one input; its constant operands come from the Random it is given. */
    private record UnaryOp(String name, Domain domain, BiFunction<Tensor, Random, Tensor> apply) {
        /** This op applied to the output of another: its input moved into the op's domain first. */
        Tensor applyToOutput(Tensor y, Random r) {
            Tensor in = switch (domain) {
                case ANY -> y;
                case POSITIVE -> y.pow(2).add(0.5);
                case BOUNDED -> y.tanh().mul(2);   // (−2, 2)
            };
            return apply.apply(in, r);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<UnaryOp> UNARY = List.of(
            new UnaryOp("tanh", Domain.ANY, (x, r) -> x.tanh()),
            new UnaryOp("sigmoid", Domain.ANY, (x, r) -> x.sigmoid()),
            new UnaryOp("exp", Domain.BOUNDED, (x, r) -> x.exp()),
            new UnaryOp("log", Domain.POSITIVE, (x, r) -> x.log()),
            new UnaryOp("sqrt", Domain.POSITIVE, (x, r) -> x.sqrt()),
            new UnaryOp("pow2", Domain.ANY, (x, r) -> x.pow(2)),
            new UnaryOp("softmax", Domain.ANY, (x, r) -> x.softmax()),
            new UnaryOp("logSoftmax", Domain.ANY, (x, r) -> x.logSoftmax()),
            new UnaryOp("sum0", Domain.ANY, (x, r) -> x.sum(0)),
            new UnaryOp("mean1", Domain.ANY, (x, r) -> x.mean(1)),
            new UnaryOp("transpose", Domain.ANY, (x, r) -> x.transpose()),
            new UnaryOp("mulRow", Domain.ANY, (x, r) -> x.mul(Tensor.randn(1, x.cols(), r))),
            new UnaryOp("addColumn", Domain.ANY, (x, r) -> x.add(Tensor.randn(x.rows(), 1, r))),
            new UnaryOp("divScalar", Domain.ANY, (x, r) -> x.div(Tensor.uniform(1, 1, 0.5, 2, r))),
            new UnaryOp("matmulTransposeB", Domain.ANY, (x, r) -> x.matmulTransposeB(Tensor.randn(3, x.cols(), r))),
            new UnaryOp("matmulTransposeA", Domain.ANY, (x, r) -> x.matmulTransposeA(Tensor.randn(x.rows(), 2, r))),
            new UnaryOp("reshape", Domain.ANY, (x, r) -> x.reshape(x.cols(), x.rows())),
            new UnaryOp("gate", Domain.ANY, (x, r) -> Tensor.concatColumns(x.sigmoid(), x.tanh())));

    /** An op of two inputs x (rows×cols) and y (shaped by the op from x); both are checked. */
    private record BinaryOp(String name, Shape other, BiFunction<Tensor, Tensor, Tensor> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    private interface Shape {
        Tensor make(int rows, int cols, Random r);
    }

    private static final Shape SAME = (m, n, r) -> Tensor.randn(m, n, r);
    private static final Shape ROW = (m, n, r) -> Tensor.randn(1, n, r);
    private static final Shape COLUMN = (m, n, r) -> Tensor.randn(m, 1, r);
    private static final Shape SCALAR = (m, n, r) -> Tensor.randn(1, 1, r);
    private static final Shape POSITIVE_SAME = (m, n, r) -> Tensor.uniform(m, n, 0.5, 2, r);
    private static final Shape POSITIVE_ROW = (m, n, r) -> Tensor.uniform(1, n, 0.5, 2, r);
    private static final Shape RIGHT = (m, n, r) -> Tensor.randn(n, 3, r);
    private static final Shape BOTH_TRANSPOSED = (m, n, r) -> Tensor.randn(2, m, r);
    private static final Shape TARGETS = (m, n, r) -> Tensor.uniform(m, n, 0, 1, r);

    private static final List<BinaryOp> BINARY = List.of(
            new BinaryOp("matmul", RIGHT, Tensor::matmul),
            new BinaryOp("matmulTransposeAB", BOTH_TRANSPOSED, (x, y) -> new MatMul(true, true).apply(x, y)),
            new BinaryOp("add same", SAME, Tensor::add),
            new BinaryOp("add row on the left", ROW, (x, y) -> y.add(x)),
            new BinaryOp("sub same", SAME, Tensor::sub),
            new BinaryOp("sub column on the left", COLUMN, (x, y) -> y.sub(x)),
            new BinaryOp("sub scalar", SCALAR, Tensor::sub),
            new BinaryOp("mul same", SAME, Tensor::mul),
            new BinaryOp("mul scalar on the left", SCALAR, (x, y) -> y.mul(x)),
            new BinaryOp("div by same", POSITIVE_SAME, Tensor::div),
            new BinaryOp("div by row", POSITIVE_ROW, Tensor::div),
            new BinaryOp("row divided by", POSITIVE_SAME, (x, y) -> x.sum(0).div(y)),
            new BinaryOp("scalar forms", SCALAR, (x, y) -> x.add(0.5).sub(1.5).mul(-2.0).div(3.0).mul(y)),
            new BinaryOp("neg", SCALAR, (x, y) -> x.neg().mul(y)),
            new BinaryOp("abs", SCALAR, (x, y) -> x.abs().mul(y)),
            new BinaryOp("relu", SCALAR, (x, y) -> x.relu().mul(y)),
            new BinaryOp("leakyRelu", SCALAR, (x, y) -> x.leakyRelu(0.1).mul(y)),
            new BinaryOp("gelu", SCALAR, (x, y) -> x.gelu().mul(y)),
            new BinaryOp("pow 3", SCALAR, (x, y) -> x.pow(3).mul(y)),
            new BinaryOp("sum all", SCALAR, (x, y) -> x.sum().mul(y)),
            new BinaryOp("mean all", SCALAR, (x, y) -> x.mean().mul(y)),
            new BinaryOp("sum over columns", COLUMN, (x, y) -> x.sum(1).mul(y)),
            new BinaryOp("mean over rows", ROW, (x, y) -> x.mean(0).mul(y)),
            new BinaryOp("sliceColumns", SCALAR, (x, y) -> x.sliceColumns(x.cols() / 2, x.cols()).mul(y)),
            new BinaryOp("concatColumns of three", SAME, (x, y) -> Tensor.concatColumns(x, y, x.mul(y))),
            new BinaryOp("blockTranspose", SCALAR, (x, y) -> new BlockTranspose(x.cols() % 2 == 0 ? 2 : 1).apply(x).mul(y)),
            new BinaryOp("bceWithLogits", TARGETS, (x, y) -> new BinaryCrossEntropyWithLogits().apply(x, y)));

    @Provide
    Arbitrary<UnaryOp> unaryOps() {
        return Arbitraries.of(UNARY);
    }

    @Provide
    Arbitrary<BinaryOp> binaryOps() {
        return Arbitraries.of(BINARY);
    }

    @Property(tries = 600)
    void everyOpOfOneInputPassesOnRandomShapes(@ForAll("unaryOps") UnaryOp op, @ForAll @IntRange(min = 1, max = 5) int rows,
            @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        Random data = new Random(seed);
        Tensor x = op.domain() == Domain.POSITIVE ? Tensor.uniform(rows, cols, 0.5, 2, data) : Tensor.randn(rows, cols, data);
        GradCheck.check(in -> op.apply().apply(in[0], new Random(seed + 1)), x).assertPassed();
    }

    @Property(tries = 400)
    void everyOpOfTwoInputsPassesWithBothInputsChecked(@ForAll("binaryOps") BinaryOp op,
            @ForAll @IntRange(min = 1, max = 5) int rows, @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Tensor.randn(rows, cols, r);
        Tensor y = op.other().make(rows, cols, r);
        GradCheck.check(in -> op.apply().apply(in[0], in[1]), x, y).assertPassed();
    }

    @Property(tries = 400)
    void compositionsOfTwoOpsPass(@ForAll("unaryOps") UnaryOp first, @ForAll("unaryOps") UnaryOp second,
            @ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 4) int cols, @ForAll long seed) {
        Random data = new Random(seed);
        Tensor x = Tensor.randn(rows, cols, data);
        GradCheck.check(in -> {
            Tensor start = first.domain() == Domain.POSITIVE ? in[0].sigmoid().add(0.5) : in[0];   // a Gaussian draw is moderate
            Tensor y = first.apply().apply(start, new Random(seed + 1));
            return second.applyToOutput(y, new Random(seed + 2));
        }, x).assertPassed();
    }
}
