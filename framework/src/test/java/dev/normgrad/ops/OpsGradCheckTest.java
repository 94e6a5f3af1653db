package dev.normgrad.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import dev.normgrad.gradcheck.GradCheckReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op gradient-checked in float64 over several shapes, the broadcasting ones in both
 * directions. Inputs are drawn away from each op's singular points (log and sqrt of positives,
 * relu/abs away from 0 — the kink tests live in GradCheckTest).
 */
class OpsGradCheckTest {
    private static final int[][] SHAPES = {{1, 1}, {1, 5}, {4, 1}, {3, 4}, {7, 2}};

    /** An op under test: its name, how many inputs, and how to draw them for a shape. */
    private record Case(String name, GradCheck.Fn fn, List<Tensor> inputs) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(name);
            inputs.forEach(t -> s.append(' ').append(t.shape()));
            return s.toString();
        }
    }

    private static Tensor normal(int r, int c, Random rng) {
        return Tensor.randn(r, c, rng);
    }

    private static Tensor positive(int r, int c, Random rng) {
        return Tensor.uniform(r, c, 0.5, 2.0, rng);
    }

    /** Normal entries pushed at least 0.1 away from 0 (no kink within the step). */
    private static Tensor awayFromZero(int r, int c, Random rng) {
        Tensor t = Tensor.randn(r, c, rng);
        for (int i = 0; i < t.data().getNumElements(); i++) {
            double v = t.data().data[i];
            t.data().data[i] = v + Math.copySign(0.1, v);
        }
        return t;
    }

    static Stream<Arguments> unaryCases() {
        List<Arguments> cases = new ArrayList<>();
        Random rng = new Random(2024);
        for (int[] s : SHAPES) {
            int r = s[0], c = s[1];
            cases.add(Arguments.of(new Case("neg", x -> x[0].neg(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("addScalar", x -> x[0].add(2.5), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("mulScalar", x -> x[0].mul(-1.5), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("pow3", x -> x[0].pow(3), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("pow-0.5", x -> x[0].pow(-0.5), List.of(positive(r, c, rng)))));
            cases.add(Arguments.of(new Case("exp", x -> x[0].exp(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("log", x -> x[0].log(), List.of(positive(r, c, rng)))));
            cases.add(Arguments.of(new Case("sqrt", x -> x[0].sqrt(), List.of(positive(r, c, rng)))));
            cases.add(Arguments.of(new Case("abs", x -> x[0].abs(), List.of(awayFromZero(r, c, rng)))));
            cases.add(Arguments.of(new Case("tanh", x -> x[0].tanh(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("sigmoid", x -> x[0].sigmoid(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("relu", x -> x[0].relu(), List.of(awayFromZero(r, c, rng)))));
            cases.add(Arguments.of(new Case("leakyRelu", x -> x[0].leakyRelu(0.1), List.of(awayFromZero(r, c, rng)))));
            cases.add(Arguments.of(new Case("softmax", x -> x[0].softmax(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("logSoftmax", x -> x[0].logSoftmax(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("sum", x -> x[0].sum(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("sum0", x -> x[0].sum(0), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("sum1", x -> x[0].sum(1), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("mean", x -> x[0].mean(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("mean0", x -> x[0].mean(0), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("mean1", x -> x[0].mean(1), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("transpose", x -> x[0].transpose(), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("reshape", x -> x[0].reshape(c, r), List.of(normal(r, c, rng)))));
            cases.add(Arguments.of(new Case("sliceColumns", x -> x[0].sliceColumns(c / 2, c), List.of(normal(r, c, rng)))));
        }
        return cases.stream();
    }

    static Stream<Arguments> binaryCases() {
        List<Arguments> cases = new ArrayList<>();
        Random rng = new Random(99);
        int[][][] shapePairs = {
            {{3, 4}, {3, 4}}, {{3, 4}, {1, 4}}, {{1, 4}, {3, 4}}, {{3, 4}, {3, 1}}, {{3, 1}, {3, 4}},
            {{3, 4}, {1, 1}}, {{1, 1}, {3, 4}}, {{3, 1}, {1, 4}}, {{1, 1}, {1, 1}},
        };
        for (int[][] p : shapePairs) {
            int ra = p[0][0], ca = p[0][1], rb = p[1][0], cb = p[1][1];
            cases.add(Arguments.of(new Case("add", x -> x[0].add(x[1]), List.of(normal(ra, ca, rng), normal(rb, cb, rng)))));
            cases.add(Arguments.of(new Case("sub", x -> x[0].sub(x[1]), List.of(normal(ra, ca, rng), normal(rb, cb, rng)))));
            cases.add(Arguments.of(new Case("mul", x -> x[0].mul(x[1]), List.of(normal(ra, ca, rng), normal(rb, cb, rng)))));
            cases.add(Arguments.of(new Case("div", x -> x[0].div(x[1]), List.of(normal(ra, ca, rng), positive(rb, cb, rng)))));
        }
        int[][] mm = {{1, 1, 1}, {3, 4, 2}, {5, 1, 3}, {2, 6, 1}};
        for (int[] s : mm) {
            int m = s[0], k = s[1], n = s[2];
            cases.add(Arguments.of(new Case("matmul", x -> x[0].matmul(x[1]), List.of(normal(m, k, rng), normal(k, n, rng)))));
            cases.add(Arguments.of(new Case("matmulTransposeB", x -> x[0].matmulTransposeB(x[1]), List.of(normal(m, k, rng), normal(n, k, rng)))));
            cases.add(Arguments.of(new Case("matmulTransposeA", x -> x[0].matmulTransposeA(x[1]), List.of(normal(k, m, rng), normal(k, n, rng)))));
            cases.add(Arguments.of(new Case("matmulTransposeAB", x -> new MatMul(true, true).apply(x[0], x[1]), List.of(normal(k, m, rng), normal(n, k, rng)))));
            cases.add(Arguments.of(new Case("matmulSameOperand", x -> x[0].matmulTransposeB(x[0]), List.of(normal(m, k, rng)))));
        }
        cases.add(Arguments.of(new Case("concatColumns", x -> Tensor.concatColumns(x[0], x[1], x[2]),
                List.of(normal(3, 2, rng), normal(3, 1, rng), normal(3, 4, rng)))));
        cases.add(Arguments.of(new Case("sliceThenConcat (gates)", x -> Tensor.concatColumns(
                x[0].sliceColumns(0, 2).sigmoid(), x[0].sliceColumns(2, 4).tanh()), List.of(normal(3, 4, rng)))));
        cases.add(Arguments.of(new Case("inputUsedTwice", x -> x[0].mul(x[0]).add(x[0].exp()), List.of(normal(2, 3, rng)))));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryCases")
    void unaryOpPassesGradCheck(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryCases")
    void binaryOpPassesGradCheck(Case c) {
        check(c);
    }

    private static void check(Case c) {
        GradCheckReport r = GradCheck.check(c.fn(), c.inputs().toArray(new Tensor[0]));
        r.assertPassed();
        assertTrue(r.relativeError() < 1e-6, () -> c + " relative error " + r.relativeError() + "\n" + r);
        assertTrue(r.kinks() == 0, () -> c + " unexpected kinks\n" + r);
    }
}
