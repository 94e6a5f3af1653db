package dev.normgrad.reliability;

import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.loss.Losses;
import dev.normgrad.nn.Module;
import dev.normgrad.recurrent.CellNormalization;
import dev.normgrad.recurrent.GRU;
import dev.normgrad.recurrent.LSTM;
import dev.normgrad.recurrent.RNN;
import dev.normgrad.recurrent.RNNCell;
import dev.normgrad.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Losses and saturating layers at extreme inputs, against closed forms. (The variance on data of
 * mean 1e4 and std 1e-2 is {@code TwoPassVarianceTest}; a constant row or channel through every
 * normalization layer is {@code ConventionsTest#aConstantRowOrChannelGivesFiniteOutputsAndGradients};
 * sigmoid and tanh at ±1e3 as ops are {@code OpsMatchPyTorchTest}.)
 */
class NumericalRobustnessTest {
    private static final double LOG2 = Math.log(2);
    private static final double LOG3 = Math.log(3);

    /**
     * Softmax cross-entropy of logits ±1e4, where exp overflows: log-sum-exp gives the closed form.
     * Row by row, with m the largest logit, loss_i = m − z_y + log Σ exp(z_j − m):
     * (1e4, −1e4, 0) label 0 → 0; label 1 → 2e4; (−1e4, −1e4, −1e4) label 2 → log 3;
     * (1e4, 1e4, −1e4) label 0 → log 2. dL/dz = (softmax − onehot) / N, softmax exactly 0, ½, ⅓ or 1
     * (e^{−1e4} underflows to 0).
     */
    @Test
    void softmaxCrossEntropyOfLogitsPlusMinus1e4IsFiniteAndEqualsTheClosedForm() {
        Tensor z = Tensor.of(new double[][] {{1e4, -1e4, 0}, {1e4, -1e4, 0}, {-1e4, -1e4, -1e4}, {1e4, 1e4, -1e4}}).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(z, new int[] {0, 1, 2, 0});
        loss.backward();
        assertClose((0 + 2e4 + LOG3 + LOG2) / 4, loss.item(), Tolerance.relative(1e-15), "loss");
        double[][] grad = {{0, 0, 0}, {1, -1, 0}, {1.0 / 3, 1.0 / 3, 1.0 / 3 - 1}, {0.5 - 1, 0.5, 0}};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(grad[i][j] / 4, z.grad().get(i, j), 1e-16, "dL/dz[" + i + ", " + j + "]");
            }
        }
    }

    /** BCE with logits x and targets t: max(x, 0) − x·t + log(1 + e^{−|x|}), dL/dx = (σ(x) − t) / N. */
    @Test
    void bceWithLogitsOfPlusMinus1e4IsFiniteAndEqualsTheClosedForm() {
        Tensor x = Tensor.row(1e4, -1e4, 1e4, -1e4).requiresGrad(true);
        Tensor t = Tensor.row(0, 1, 1, 0);
        Tensor loss = Losses.bceWithLogits(x, t);
        loss.backward();
        assertClose((1e4 + 1e4 + 0 + 0) / 4, loss.item(), Tolerance.relative(1e-15), "loss");
        double[] grad = {1, -1, 0, 0};
        for (int j = 0; j < 4; j++) {
            assertEquals(grad[j] / 4, x.grad().get(0, j), 1e-16, "dL/dx[" + j + "]");
        }
    }

    /** Recurrent layers (sigmoid and tanh gates) fed inputs of ±1e3 saturate without NaN, forward and backward. */
    @Test
    void recurrentLayersFedInputsOfPlusMinus1e3StayFiniteForwardAndBackward() {
        Random r = new Random(4);
        for (CellNormalization norm : List.of(CellNormalization.none(), CellNormalization.layerNorm())) {
            for (Module layer : List.<Module>of(new RNN(3, 4, 1, RNNCell.Nonlinearity.TANH, norm, r), new LSTM(3, 4, 1, norm, r),
                    new GRU(3, 4, 1, norm, r))) {
                Tensor x = Tensor.randn(5, 9, r).mul(1e3).requiresGrad(true);
                Tensor y = layer.apply(x);
                y.backward(Tensor.randn(y.rows(), y.cols(), r));
                assertFinite(layer + " output", y);
                assertFinite(layer + " dL/dx", x.grad());
                layer.namedParameters().forEach((name, p) -> assertFinite(layer + " dL/d" + name, p.grad()));
            }
        }
    }

    private static void assertFinite(String what, Tensor t) {
        for (int i = 0; i < t.rows() * t.cols(); i++) {
            assertTrue(Double.isFinite(t.data().data[i]), what + " has " + t.data().data[i] + " at entry " + i);
        }
    }
}
