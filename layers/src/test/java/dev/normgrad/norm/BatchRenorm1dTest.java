package dev.normgrad.norm;

import static dev.normgrad.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.normgrad.autograd.Tensor;
import dev.normgrad.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchRenorm1dTest {
    private final Random rng = new Random(9);

    @Test
    void rmaxOneAndDmaxZeroIsBatchNorm() {
        for (boolean fused : new boolean[] {true, false}) {
            BatchRenorm1d renorm = new BatchRenorm1d(3, 1.0, 0.0);
            BatchNorm1d bn = new BatchNorm1d(3);
            renorm.setFused(fused);
            bn.setFused(fused);
            for (int step = 0; step < 4; step++) {
                boolean training = step < 3;
                renorm.train(training);
                bn.train(training);
                Tensor x = Tensor.randn(5, 6, rng).mul(3).add(2);
                Tensor dy = Tensor.randn(5, 6, rng);
                Tensor xr = x.copy().requiresGrad(true);
                Tensor xb = x.copy().requiresGrad(true);
                renorm.zeroGrad();
                bn.zeroGrad();
                Tensor yr = renorm.apply(xr);
                Tensor yb = bn.apply(xb);
                yr.backward(dy);
                yb.backward(dy);
                assertClose(yb.data(), yr.data(), Tolerance.relativeToLargest(1e-14), "output");
                assertClose(xb.gradData(), xr.gradData(), Tolerance.relativeToLargest(1e-13), "dL/dx");
                assertClose(bn.weight().gradData(), renorm.weight().gradData(), Tolerance.relativeToLargest(1e-13), "dL/dweight");
                assertClose(bn.runningVar().data(), renorm.runningVar().data(), Tolerance.relativeToLargest(1e-15), "runningVar");
            }
        }
    }

    @Test
    void rAndDPullTheTrainingOutputTowardsTheEvaluationOutput() {
        // a batch far from the running statistics: with r and d unclipped, the training output is the evaluation
        // output exactly (x̂ r + d = (x − μ)/σ); BatchNorm's training output is not
        BatchRenorm1d renorm = new BatchRenorm1d(2, 1e-5, 0.1, false, 1e6, 1e6);
        Tensor x = Tensor.randn(8, 2, rng).mul(4).add(10);
        renorm.runningMean().data().setTo(Tensor.row(1, -1).data());
        renorm.runningVar().data().setTo(Tensor.row(2, 0.5).data());
        BatchRenorm1d copy = new BatchRenorm1d(2, 1e-5, 0.1, false, 1e6, 1e6);
        copy.runningMean().data().setTo(renorm.runningMean().data());
        copy.runningVar().data().setTo(renorm.runningVar().data());
        copy.eval();
        assertClose(copy.apply(x).data(), renorm.apply(x).data(), Tolerance.relativeToLargest(1e-12), "training output = evaluation output");
        assertArrayEquals(new double[] {0.9 * 1 + 0.1 * mean(x, 0), 0.9 * -1 + 0.1 * mean(x, 1)},
                renorm.runningMean().data().data, 1e-12, "running statistics updated as BatchNorm's, after r and d used them");
    }

    private static double mean(Tensor x, int c) {
        double s = 0;
        for (int i = 0; i < x.rows(); i++) {
            s += x.get(i, c);
        }
        return s / x.rows();
    }
}
