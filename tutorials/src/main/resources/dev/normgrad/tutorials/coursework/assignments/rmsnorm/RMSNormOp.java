import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * Root-mean-square normalization over each row's F features, as one op (Zhang &amp; Sennrich, <i>Root
 * Mean Square Layer Normalization</i>, 2019; PyTorch's {@code nn.RMSNorm(F)}): LayerNorm without
 * centring and without β. The forward is written; the backward is yours.
 *
 * <pre>
 *   inputs  x (N×F), γ (1×F)                           output  y (N×F)
 *   rᵢ  = √( (1/F) Σⱼ xᵢⱼ² + eps )                      the row's root mean square, eps inside the root
 *   x̂ᵢⱼ = xᵢⱼ / rᵢ
 *   yᵢⱼ = γⱼ · x̂ᵢⱼ
 * </pre>
 */
public class RMSNormOp extends Function {
    private final double eps;
    private DMatrixRMaj xhat;      // x̂, N×F
    private double[] invRms;       // 1/rᵢ, one per row
    private DMatrixRMaj gamma;     // γ, 1×F

    public RMSNormOp(double eps) {
        this.eps = eps;
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj x = in[0];
        gamma = in[1];
        int n = x.numRows;
        int f = x.numCols;
        if (gamma.getNumElements() != f) {
            throw new ShapeException("RMSNormOp: gamma must be 1x" + f + " for x (" + n + "x" + f + ")");
        }
        xhat = new DMatrixRMaj(n, f);
        invRms = new double[n];
        DMatrixRMaj y = new DMatrixRMaj(n, f);
        for (int i = 0; i < n; i++) {
            double meanSquare = 0;
            for (int j = 0; j < f; j++) {
                meanSquare += x.get(i, j) * x.get(i, j);
            }
            invRms[i] = 1 / Math.sqrt(meanSquare / f + eps);
            for (int j = 0; j < f; j++) {
                xhat.set(i, j, x.get(i, j) * invRms[i]);
                y.set(i, j, gamma.data[j] * xhat.get(i, j));
            }
        }
        return y;
    }

    /**
     * Adds dL/dx into {@code dx[0]} (N×F) and dL/dγ into {@code dx[1]} (1×F), skipping a null buffer.
     * {@code dy} is dL/dy (N×F).
     */
    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        // BEGIN SOLUTION
        int n = xhat.numRows;
        int f = xhat.numCols;
        for (int i = 0; i < n; i++) {
            // g = dL/dx̂ = dy·γ; xᵢⱼ reaches the loss directly and through rᵢ (∂rᵢ/∂xᵢⱼ = x̂ᵢⱼ/F)
            double meanGXhat = 0;
            for (int j = 0; j < f; j++) {
                meanGXhat += dy.get(i, j) * gamma.data[j] * xhat.get(i, j) / f;
            }
            for (int j = 0; j < f; j++) {
                if (dx[0] != null) {
                    dx[0].add(i, j, invRms[i] * (dy.get(i, j) * gamma.data[j] - xhat.get(i, j) * meanGXhat));
                }
                if (dx[1] != null) {
                    dx[1].data[j] += dy.get(i, j) * xhat.get(i, j);
                }
            }
        }
        // END SOLUTION
    }
}
