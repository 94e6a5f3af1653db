import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.ShapeException;
import org.ejml.data.DMatrixRMaj;

/**
 * Softmax followed by the cross-entropy with integer labels, averaged over the batch, as one op
 * (PyTorch's {@code nn.CrossEntropyLoss()} on logits). The forward is written, stable for logits of
 * any size; the backward is yours.
 *
 * <pre>
 *   input   z (N×C), the logits; labels y₀ … y_{N−1}, each in 0..C−1      output  L (1×1)
 *   pᵢⱼ = exp(zᵢⱼ − mᵢ) / Σₖ exp(zᵢₖ − mᵢ),   mᵢ = maxₖ zᵢₖ                 softmax of each row
 *   L   = −(1/N) Σᵢ log pᵢ,yᵢ
 * </pre>
 */
public class SoftmaxCrossEntropyOp extends Function {
    private final int[] labels;
    private DMatrixRMaj p;         // the probabilities, N×C

    public SoftmaxCrossEntropyOp(int[] labels) {
        this.labels = labels;
    }

    @Override
    protected DMatrixRMaj forward(DMatrixRMaj... in) {
        DMatrixRMaj z = in[0];
        int n = z.numRows;
        int c = z.numCols;
        if (labels.length != n) {
            throw new ShapeException("SoftmaxCrossEntropyOp: " + labels.length + " labels for " + n + " rows of logits");
        }
        p = new DMatrixRMaj(n, c);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("SoftmaxCrossEntropyOp: label " + labels[i] + " of row " + i
                        + " is not a class in 0.." + (c - 1));
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z.get(i, j));
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(z.get(i, j) - max);
            }
            for (int j = 0; j < c; j++) {
                p.set(i, j, Math.exp(z.get(i, j) - max) / sum);
            }
            loss -= z.get(i, labels[i]) - max - Math.log(sum);   // log pᵢ,yᵢ without forming p
        }
        DMatrixRMaj out = new DMatrixRMaj(1, 1);
        out.data[0] = loss / n;
        return out;
    }

    /**
     * Adds dL'/dz into {@code dx[0]} (N×C), where {@code dy} (1×1) is dL'/dL: the gradient of whatever
     * loss L' the cross-entropy L feeds (1 when L is the final loss).
     */
    @Override
    protected void backward(DMatrixRMaj dy, DMatrixRMaj[] dx) {
        // BEGIN SOLUTION
        if (dx[0] == null) {
            return;
        }
        int n = p.numRows;
        int c = p.numCols;
        double scale = dy.data[0] / n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double oneHot = j == labels[i] ? 1 : 0;
                dx[0].add(i, j, scale * (p.get(i, j) - oneHot));
            }
        }
        // END SOLUTION
    }
}
