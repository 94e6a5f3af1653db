import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * Layer normalization over each row's F features, as one op (Ba, Kiros &amp; Hinton, <i>Layer
 * Normalization</i>, 2016; PyTorch's {@code nn.LayerNorm(F)}). The forward is written; the backward is
 * yours.
 *
 * <pre>
 *   inputs  x (N×F), γ (1×F), β (1×F)                 output  y (N×F)
 *   μᵢ  = (1/F) Σⱼ xᵢⱼ                                  the row's mean
 *   σᵢ  = √( (1/F) Σⱼ (xᵢⱼ − μᵢ)² + eps )               biased variance, eps inside the root
 *   x̂ᵢⱼ = (xᵢⱼ − μᵢ) / σᵢ
 *   yᵢⱼ = γⱼ · x̂ᵢⱼ + βⱼ
 * </pre>
 */
public class LayerNormOp extends Function {
    private final double eps;
    private DMatrixRMaj xhat;      // x̂, N×F
    private double[] invStd;       // 1/σᵢ, one per row
    private DMatrixRMaj gamma;     // γ, 1×F

    public LayerNormOp(double eps) {
        this.eps = eps;
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        gamma = in[1];
        DMatrixRMaj beta = in[2];
        int n = x.numRows;
        int f = x.numCols;
        if (gamma.getNumElements() != f || beta.getNumElements() != f) {
            throw new ShapeException("LayerNormOp: gamma and beta must be 1x" + f + " for x (" + n + "x" + f + ")");
        }
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
            invStd[i] = 1 / Math.sqrt(var / f + eps);
            for (int j = 0; j < f; j++) {
                xhat.set(i, j, (x.get(i, j) - mean) * invStd[i]);
                y.set(i, j, gamma.data[j] * xhat.get(i, j) + beta.data[j]);
            }
        }
        return y;
    }

    /**
     * Adds dL/dx into {@code dx[0]} (N×F), dL/dγ into {@code dx[1]} (1×F) and dL/dβ into {@code dx[2]}
     * (1×F), skipping a null buffer. {@code dy} is dL/dy (N×F).
     */
    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        // BEGIN SOLUTION
        int n = xhat.numRows;
        int f = xhat.numCols;
        for (int i = 0; i < n; i++) {
            // g = dL/dx̂ = dy·γ; the three paths from xᵢⱼ: direct, through μᵢ, through σᵢ
            double meanG = 0;
            double meanGXhat = 0;
            for (int j = 0; j < f; j++) {
                double g = dy.get(i, j) * gamma.data[j];
                meanG += g / f;
                meanGXhat += g * xhat.get(i, j) / f;
            }
            for (int j = 0; j < f; j++) {
                if (dx[0] != null) {
                    double g = dy.get(i, j) * gamma.data[j];
                    dx[0].add(i, j, invStd[i] * (g - meanG - xhat.get(i, j) * meanGXhat));
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
