package dev.normgrad.tutorials.coursework;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * Layer normalization over each row's features, with the forward written and the backward left to
 * you: the exercise of notebook 7. Subclass it, write {@link #backward}, and check it with
 * {@code GradCheck}.
 *
 * <pre>
 *   inputs   x (N×F), γ (1×F), β (1×F)
 *   μᵢ  = (1/F) Σⱼ xᵢⱼ                    σᵢ = sqrt((1/F) Σⱼ (xᵢⱼ − μᵢ)² + eps)   (biased variance)
 *   x̂ᵢⱼ = (xᵢⱼ − μᵢ) / σᵢ                 yᵢⱼ = γⱼ · x̂ᵢⱼ + βⱼ
 * </pre>
 * (Ba, Kiros &amp; Hinton, <i>Layer Normalization</i>, 2016; PyTorch's {@code nn.LayerNorm(F)}.)
 *
 * <p>What the forward saves for you: {@link #xhat} (N×F), {@link #invStd} (1/σᵢ per row) and
 * {@link #gamma} (1×F). Your backward receives dL/dy (N×F) and must <em>add</em> dL/dx, dL/dγ and
 * dL/dβ into {@code gradInputs[0]}, {@code [1]}, {@code [2]}, skipping any that is null.
 *
 * <pre>{@code
 * class MyLayerNorm extends FeatureLayerNorm {
 *     protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) { ... }
 * }
 * Tensor y = new MyLayerNorm().apply(x, gamma, beta);
 * GradCheck.check(in -> new MyLayerNorm().apply(in[0], in[1], in[2]), x, gamma, beta).assertPassed();
 * }</pre>
 */
public abstract class FeatureLayerNorm extends Function {
    /** PyTorch's default. */
    public static final double DEFAULT_EPS = 1e-5;

    /** Added to the variance inside the square root. */
    protected final double eps;
    /** The normalized input x̂ (N×F), saved by the forward. */
    protected DMatrixRMaj xhat;
    /** 1/σᵢ for each row i, saved by the forward. */
    protected double[] invStd;
    /** γ (1×F), saved by the forward. */
    protected DMatrixRMaj gamma;

    /** eps 1e-5. */
    protected FeatureLayerNorm() {
        this(DEFAULT_EPS);
    }

    protected FeatureLayerNorm(double eps) {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be >= 0, got " + eps);
        }
        this.eps = eps;
    }

    /** y = γ · (x − μ)/σ + β per row; saves x̂, 1/σ and γ. */
    @Override
    protected final DMatrixRMaj forward(DMatrixRMaj... in) {
        if (in.length != 3) {
            throw new IllegalArgumentException(name() + ": takes three inputs (x, gamma, beta), got " + in.length);
        }
        DMatrixRMaj x = in[0];
        int n = x.numRows;
        int f = x.numCols;
        for (int k = 1; k < 3; k++) {
            if (in[k].numRows != 1 || in[k].numCols != f) {
                throw new ShapeException(name() + ": " + (k == 1 ? "gamma" : "beta") + " must be (1x" + f
                        + ") for x " + ShapeException.shape(n, f) + ", got " + ShapeException.shape(in[k].numRows, in[k].numCols));
            }
        }
        gamma = in[1];
        DMatrixRMaj beta = in[2];
        xhat = new DMatrixRMaj(n, f);
        invStd = new double[n];
        DMatrixRMaj y = new DMatrixRMaj(n, f);
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int j = 0; j < f; j++) {
                mean += x.get(i, j);
            }
            mean /= f;
            double var = 0;
            for (int j = 0; j < f; j++) {
                double d = x.get(i, j) - mean;
                var += d * d;
            }
            var /= f;
            invStd[i] = 1.0 / Math.sqrt(var + eps);
            for (int j = 0; j < f; j++) {
                double h = (x.get(i, j) - mean) * invStd[i];
                xhat.set(i, j, h);
                y.set(i, j, gamma.data[j] * h + beta.data[j]);
            }
        }
        return y;
    }

    /**
     * Yours to write: add dL/dx into {@code gradInputs[0]} (N×F), dL/dγ into {@code gradInputs[1]}
     * (1×F) and dL/dβ into {@code gradInputs[2]} (1×F), each only if not null.
     */
    @Override
    protected abstract void backward(DMatrixRMaj gradOutput, DMatrixRMaj[] gradInputs);
}
