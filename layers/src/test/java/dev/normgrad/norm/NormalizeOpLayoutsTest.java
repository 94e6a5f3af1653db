package dev.normgrad.norm;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.gradcheck.GradCheck;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fused op's passes find every entry's statistic and column in any layout a {@link StatisticsSet}
 * describes, not only the layers' own: statistics whose runs cross the end of a row, a BatchNorm-like
 * set whose repeats span two rows, RMS statistics, each with a per-feature weight and bias. Checked
 * against the composed form (values and every gradient) and by a gradient check.
 */
class NormalizeOpLayoutsTest {

    private record Layout(String name, int rows, int cols, StatisticsSet set) {
    }

    private static final List<Layout> LAYOUTS = List.of(
            new Layout("runs of 4 across rows of 6", 2, 6, new StatisticsSet(1, 3, 4, true)),
            new Layout("runs of 3 within rows of 6", 2, 6, new StatisticsSet(1, 4, 3, true)),
            new Layout("one statistic over two rows", 4, 3, new StatisticsSet(1, 2, 6, true)),
            new Layout("repeats spanning two rows", 4, 3, new StatisticsSet(2, 3, 2, true)),
            new Layout("per-column, inner 1", 5, 4, new StatisticsSet(5, 4, 1, true)),
            new Layout("RMS, runs across rows", 2, 6, new StatisticsSet(1, 3, 4, false)));

    @TestFactory
    List<DynamicTest> fusedEqualsComposedAndPassesTheGradientCheck() {
        return LAYOUTS.stream().map(l -> DynamicTest.dynamicTest(l.name(), () -> check(l))).toList();
    }

    private static void check(Layout l) {
        Random r = new Random(l.name().length());
        Tensor x = Tensor.randn(l.rows(), l.cols(), r).mul(2).add(0.5);
        Tensor weight = Tensor.randn(1, l.cols(), r).requiresGrad(true);
        Tensor bias = Tensor.randn(1, l.cols(), r).requiresGrad(true);
        Tensor seed = Tensor.randn(l.rows(), l.cols(), r);
        Tensor[][] grads = new Tensor[2][];
        Tensor[] outputs = new Tensor[2];
        for (int k = 0; k < 2; k++) {
            Tensor xk = x.copy().requiresGrad(true);
            weight.zeroGrad();
            bias.zeroGrad();
            outputs[k] = Normalization.normalize(xk, l.set(), 1e-5, weight, bias, 1, k == 0).output();
            outputs[k].backward(seed);
            grads[k] = new Tensor[] {xk.grad().copy(), weight.grad().copy(), bias.grad().copy()};
        }
        Close.assertClose(l.name() + " output", outputs[1], outputs[0], 1e-12);
        String[] names = {"dL/dx", "dL/dweight", "dL/dbias"};
        for (int i = 0; i < 3; i++) {
            Close.assertClose(l.name() + " " + names[i], grads[1][i], grads[0][i], 1e-12);
        }
        Tensor xc = x.copy().requiresGrad(true);
        new GradCheck().full(in -> Normalization.normalize(in[0], l.set(), 1e-5, in[1], in[2], 1, true).output(),
                xc, weight, bias).assertPassed();
    }
}
