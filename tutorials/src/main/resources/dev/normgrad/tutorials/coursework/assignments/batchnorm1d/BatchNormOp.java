import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * Batch normalization in training mode, as one op (Ioffe &amp; Szegedy, <i>Batch Normalization</i>,
 * 2015; PyTorch's {@code nn.BatchNorm1d(C)} in {@code train()} mode): each of the C features is
 * normalized over the N rows of the batch, and the running statistics used at evaluation time are
 * updated. The normalization is written; the update of the running statistics and the backward are
 * yours.
 *
 * <pre>
 *   inputs  x (N×C), γ (1×C), β (1×C)                  output  y (N×C)
 *   μⱼ  = (1/N) Σᵢ xᵢⱼ                                  the feature's batch mean
 *   σⱼ  = √( (1/N) Σᵢ (xᵢⱼ − μⱼ)² + eps )               biased variance, eps inside the root
 *   x̂ᵢⱼ = (xᵢⱼ − μⱼ) / σⱼ
 *   yᵢⱼ = γⱼ · x̂ᵢⱼ + βⱼ
 *   runningMean ← (1 − momentum) · runningMean + momentum · μ
 *   runningVar  ← (1 − momentum) · runningVar  + momentum · (unbiased variance: Σᵢ (xᵢⱼ − μⱼ)² / (N − 1))
 * </pre>
 */
public class BatchNormOp extends Function {
    private final DMatrixRMaj runningMean;   // 1×C, updated in place by the forward
    private final DMatrixRMaj runningVar;    // 1×C, updated in place by the forward
    private final double momentum;
    private final double eps;
    private DMatrixRMaj xhat;                // x̂, N×C
    private double[] invStd;                 // 1/σⱼ, one per feature
    private DMatrixRMaj gamma;               // γ, 1×C

    public BatchNormOp(DMatrixRMaj runningMean, DMatrixRMaj runningVar, double momentum, double eps) {
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.momentum = momentum;
        this.eps = eps;
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        gamma = in[1];
        DMatrixRMaj beta = in[2];
        int n = x.numRows;
        int c = x.numCols;
        if (gamma.getNumElements() != c || beta.getNumElements() != c) {
            throw new ShapeException("BatchNormOp: gamma and beta must be 1x" + c + " for x (" + n + "x" + c + ")");
        }
        if (n < 2) {
            throw new IllegalArgumentException("BatchNormOp: a training batch needs at least 2 rows, got " + n);
        }
        xhat = new DMatrixRMaj(n, c);
        invStd = new double[c];
        double[] mean = new double[c];
        double[] var = new double[c];   // biased: the sum of squares over N
        DMatrixRMaj y = new DMatrixRMaj(n, c);
        for (int j = 0; j < c; j++) {
            for (int i = 0; i < n; i++) {
                mean[j] += x.get(i, j);
            }
            mean[j] /= n;
            for (int i = 0; i < n; i++) {
                double d = x.get(i, j) - mean[j];
                var[j] += d * d;
            }
            var[j] /= n;
            invStd[j] = 1 / Math.sqrt(var[j] + eps);
            for (int i = 0; i < n; i++) {
                xhat.set(i, j, (x.get(i, j) - mean[j]) * invStd[j]);
                y.set(i, j, gamma.data[j] * xhat.get(i, j) + beta.data[j]);
            }
        }
        updateRunningStatistics(mean, var, n);
        return y;
    }

    /**
     * Updates {@code runningMean} and {@code runningVar} (1×C) in place from this batch's mean and
     * biased variance (N rows): running = (1 − momentum)·running + momentum·batch, where the
     * variance that goes in is the unbiased one, as in PyTorch.
     */
    private void updateRunningStatistics(double[] mean, double[] biasedVar, int n) {
        // BEGIN SOLUTION
        for (int j = 0; j < mean.length; j++) {
            runningMean.data[j] = (1 - momentum) * runningMean.data[j] + momentum * mean[j];
            runningVar.data[j] = (1 - momentum) * runningVar.data[j] + momentum * biasedVar[j] * n / (n - 1);
        }
        // END SOLUTION
    }

    /**
     * Adds dL/dx into {@code dx[0]} (N×C), dL/dγ into {@code dx[1]} (1×C) and dL/dβ into {@code dx[2]}
     * (1×C), skipping a null buffer. {@code dy} is dL/dy (N×C).
     */
    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        // BEGIN SOLUTION
        int n = xhat.numRows;
        int c = xhat.numCols;
        for (int j = 0; j < c; j++) {
            // g = dL/dx̂ = dy·γ; μⱼ and σⱼ depend on every row of column j
            double meanG = 0;
            double meanGXhat = 0;
            for (int i = 0; i < n; i++) {
                double g = dy.get(i, j) * gamma.data[j];
                meanG += g / n;
                meanGXhat += g * xhat.get(i, j) / n;
            }
            for (int i = 0; i < n; i++) {
                if (dx[0] != null) {
                    double g = dy.get(i, j) * gamma.data[j];
                    dx[0].add(i, j, invStd[j] * (g - meanG - xhat.get(i, j) * meanGXhat));
                }
                if (dx[1] != null) {
                    dx[1].data[j] += dy.get(i, j) * xhat.get(i, j);
                }
                if (dx[2] != null) {
                    dx[2].data[j] += dy.get(i, j);
                }
            }
        }
        // END SOLUTION
    }
}
